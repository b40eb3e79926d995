package io.vmmlab.cpu.decode;

import static io.vmmlab.cpu.decode.CryptoEncoding.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Decodes every RV64 Zknd, Zkne, Zknh, Zksed and Zksh instruction from its bits as GNU as (binutils 2.40,
 * {@code -march=rv64i_zknd_zkne_zknh_zksed_zksh}) encodes it, with {@code a0, a1, a2} as rd, rs1, rs2: each becomes
 * {@link Opcodes#CRYPTO} with its selector and constant (round number, byte select), and is illegal on a hart
 * without an extension that has it.
 */
final class CryptoDecodingTest {
    private static final Set<String> ZKND = Set.of("zknd");
    private static final Set<String> ZKNE = Set.of("zkne");
    private static final Set<String> AES_KEYS = Set.of("zknd", "zkne");
    private static final Set<String> ZKNH = Set.of("zknh");
    private static final Set<String> ZKSED = Set.of("zksed");
    private static final Set<String> ZKSH = Set.of("zksh");
    private static final List<String> EXTENSIONS = List.of("zknd", "zkne", "zknh", "zksed", "zksh");

    /** An encoding, its selector and constant, the extensions that have it, and whether it reads rs2. */
    private record Encoding(int bits, int selector, int constant, Set<String> extensions, boolean readsRs2) {
    }

    private static final List<Encoding> ENCODINGS = List.of(
        new Encoding(0x3ac58533, AES64DS, 0, ZKND, true), new Encoding(0x3ec58533, AES64DSM, 0, ZKND, true),
        new Encoding(0x32c58533, AES64ES, 0, ZKNE, true), new Encoding(0x36c58533, AES64ESM, 0, ZKNE, true),
        new Encoding(0x30059513, AES64IM, 0, ZKND, false), new Encoding(0x31359513, AES64KS1I, 3, AES_KEYS, false),
        new Encoding(0x7ec58533, AES64KS2, 0, AES_KEYS, true),
        new Encoding(0x10259513, SHA256SIG0, 0, ZKNH, false), new Encoding(0x10359513, SHA256SIG1, 0, ZKNH, false),
        new Encoding(0x10059513, SHA256SUM0, 0, ZKNH, false), new Encoding(0x10159513, SHA256SUM1, 0, ZKNH, false),
        new Encoding(0x10659513, SHA512SIG0, 0, ZKNH, false), new Encoding(0x10759513, SHA512SIG1, 0, ZKNH, false),
        new Encoding(0x10459513, SHA512SUM0, 0, ZKNH, false), new Encoding(0x10559513, SHA512SUM1, 0, ZKNH, false),
        new Encoding(0x10859513, SM3P0, 0, ZKSH, false), new Encoding(0x10959513, SM3P1, 0, ZKSH, false),
        new Encoding(0xb0c58533, SM4ED, 2, ZKSED, true), new Encoding(0xf4c58533, SM4KS, 3, ZKSED, true));

    /** The other values of the constants: aes64ks1i a0,a1,0 and 10, sm4ed/sm4ks a0,a1,a2,0. */
    private static final List<Encoding> MORE = List.of(
        new Encoding(0x31059513, AES64KS1I, 0, AES_KEYS, false),
        new Encoding(0x31a59513, AES64KS1I, 10, AES_KEYS, false),
        new Encoding(0x30c58533, SM4ED, 0, ZKSED, true), new Encoding(0x34c58533, SM4KS, 0, ZKSED, true));

    private static InstructionDecoder decoder(Set<String> extensions) {
        return new InstructionDecoder(true, true, true, false, false, false, BitManipEncoding.NONE_PRESENT,
                new CryptoEncoding(extensions));
    }

    @Test
    void everyEncodingDecodesToItsSelectorAndConstant() {
        InstructionDecoder decoder = decoder(Set.copyOf(EXTENSIONS));
        assertThat(ENCODINGS).extracting(Encoding::selector).doesNotHaveDuplicates().hasSize(CryptoEncoding.COUNT);
        for (Encoding encoding : concat()) {
            long decoded = decoder.decode(encoding.bits());
            int word = (int) decoded;
            String name = String.format("%08x", encoding.bits());
            assertThat(Opcodes.op(word)).as(name).isEqualTo(Opcodes.CRYPTO);
            assertThat((int) (decoded >>> 32)).as(name).isEqualTo(encoding.selector() << 6 | encoding.constant());
            assertThat(Opcodes.rd(word)).as(name).isEqualTo(10);
            assertThat(Opcodes.rs1(word)).as(name).isEqualTo(11);
            assertThat(Opcodes.rs2(word)).as(name).isEqualTo(encoding.readsRs2() ? 12 : 0);
            assertThat(CryptoEncoding.readsRs2(encoding.selector())).as(name).isEqualTo(encoding.readsRs2());
        }
    }

    @Test
    void eachExtensionDecodesOnlyItsOwnInstructions() {
        for (String extension : EXTENSIONS) {
            InstructionDecoder decoder = decoder(Set.of(extension));
            for (Encoding encoding : concat()) {
                int op = Opcodes.op((int) decoder.decode(encoding.bits()));
                assertThat(op).as("%08x with %s alone", encoding.bits(), extension)
                        .isEqualTo(encoding.extensions().contains(extension) ? Opcodes.CRYPTO : Opcodes.ILLEGAL);
            }
        }
        for (Encoding encoding : concat()) {
            assertThat(Opcodes.op((int) new InstructionDecoder(true, true, true, false).decode(encoding.bits())))
                    .isEqualTo(Opcodes.ILLEGAL);
            // nor do the bit-manipulation extensions of the same suites have them
            InstructionDecoder bitManip = new InstructionDecoder(true, true, true, false, false, false,
                    new BitManipEncoding(Set.of("zba", "zbb", "zbc", "zbs", "zbkb", "zbkc", "zbkx", "zicond")),
                    CryptoEncoding.NONE_PRESENT);
            assertThat(Opcodes.op((int) bitManip.decode(encoding.bits()))).isEqualTo(Opcodes.ILLEGAL);
        }
    }

    @Test
    void reservedNeighboursStayIllegal() {
        InstructionDecoder decoder = decoder(Set.copyOf(EXTENSIONS));
        // aes64ks1i round numbers 0xb and 0xf (reserved); aes64im with rs2 field 1; the SHA-2/SM3 group's 0x10a;
        // aes64ks2's funct7 with funct3 1; funct7 0011011 | 0100000 (aes64esm with bit 30 set); and the RV32-only
        // aes32esi a0,a1,a2,1 and sha512sig0h a0,a1,a2 (GNU as -march=rv32i_zkne_zknh), which RV64 does not have.
        for (int reserved : new int[] {0x31b59513, 0x31f59513, 0x30159513, 0x10a59513, 0x7ec59533, 0x76c58533,
            0x62c58533, 0x5cc58533}) {
            assertThat(Opcodes.op((int) decoder.decode(reserved))).as("%08x", reserved).isEqualTo(Opcodes.ILLEGAL);
        }
    }

    private static List<Encoding> concat() {
        return Stream.concat(ENCODINGS.stream(), MORE.stream()).toList();
    }
}
