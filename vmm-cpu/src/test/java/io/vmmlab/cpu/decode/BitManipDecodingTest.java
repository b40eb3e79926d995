package io.vmmlab.cpu.decode;

import static io.vmmlab.cpu.decode.BitManipEncoding.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decodes every Zba, Zbb, Zbc, Zbs, Zbkb, Zbkc and Zbkx instruction from its bits as GNU as (binutils 2.40,
 * {@code -march=rv64gc_zba_zbb_zbc_zbs} and {@code -march=rv64i_zbkb_zbkc_zbkx}) encodes it, and Zicond's two
 * (binutils 2.40 does not know Zicond: encoded by hand from the ISA manual's "Zicond" chapter, funct7 0000111), with
 * {@code a0, a1, a2} as rd, rs1, rs2: each becomes {@link Opcodes#BITMANIP} with its selector and shift amount, and
 * is illegal on a hart without an extension that has it.
 */
final class BitManipDecodingTest {
    private static final Set<String> ZBA = Set.of("zba");
    private static final Set<String> ZBB = Set.of("zbb");
    private static final Set<String> ZBB_ZBKB = Set.of("zbb", "zbkb");
    private static final Set<String> ZBS = Set.of("zbs");
    private static final Set<String> ZBC = Set.of("zbc");
    private static final Set<String> ZBC_ZBKC = Set.of("zbc", "zbkc");
    private static final Set<String> ZBKB = Set.of("zbkb");
    private static final Set<String> ZBKX = Set.of("zbkx");
    private static final Set<String> ZICOND = Set.of("zicond");
    private static final List<String> EXTENSIONS = List.of("zba", "zbb", "zbc", "zbs", "zbkb", "zbkc", "zbkx",
            "zicond");

    /** An encoding, its selector and shift amount, and the extensions that have it. */
    private record Encoding(int bits, int selector, int shamt, Set<String> extensions) {
    }

    private static final List<Encoding> ENCODINGS = List.of(
        new Encoding(0x08c5853b, ADD_UW, 0, ZBA), new Encoding(0x20c5a533, SH1ADD, 0, ZBA),
        new Encoding(0x20c5c533, SH2ADD, 0, ZBA), new Encoding(0x20c5e533, SH3ADD, 0, ZBA),
        new Encoding(0x20c5a53b, SH1ADD_UW, 0, ZBA), new Encoding(0x20c5c53b, SH2ADD_UW, 0, ZBA),
        new Encoding(0x20c5e53b, SH3ADD_UW, 0, ZBA), new Encoding(0x0a55951b, SLLI_UW, 37, ZBA),
        new Encoding(0x40c5f533, ANDN, 0, ZBB_ZBKB), new Encoding(0x40c5e533, ORN, 0, ZBB_ZBKB),
        new Encoding(0x40c5c533, XNOR, 0, ZBB_ZBKB), new Encoding(0x60059513, CLZ, 0, ZBB),
        new Encoding(0x6005951b, CLZW, 0, ZBB), new Encoding(0x60159513, CTZ, 0, ZBB),
        new Encoding(0x6015951b, CTZW, 0, ZBB), new Encoding(0x60259513, CPOP, 0, ZBB),
        new Encoding(0x6025951b, CPOPW, 0, ZBB), new Encoding(0x0ac5e533, MAX, 0, ZBB),
        new Encoding(0x0ac5f533, MAXU, 0, ZBB), new Encoding(0x0ac5c533, MIN, 0, ZBB),
        new Encoding(0x0ac5d533, MINU, 0, ZBB), new Encoding(0x60459513, SEXT_B, 0, ZBB),
        new Encoding(0x60559513, SEXT_H, 0, ZBB), new Encoding(0x0805c53b, ZEXT_H, 0, ZBB_ZBKB), // PACKW's form
        new Encoding(0x60c59533, ROL, 0, ZBB_ZBKB), new Encoding(0x60c5953b, ROLW, 0, ZBB_ZBKB),
        new Encoding(0x60c5d533, ROR, 0, ZBB_ZBKB), new Encoding(0x62d5d513, RORI, 45, ZBB_ZBKB),
        new Encoding(0x60d5d51b, RORIW, 13, ZBB_ZBKB), new Encoding(0x60c5d53b, RORW, 0, ZBB_ZBKB),
        new Encoding(0x2875d513, ORC_B, 0, ZBB), new Encoding(0x6b85d513, REV8, 0, ZBB_ZBKB),
        new Encoding(0x48c59533, BCLR, 0, ZBS), new Encoding(0x4bf59513, BCLRI, 63, ZBS),
        new Encoding(0x48c5d533, BEXT, 0, ZBS), new Encoding(0x4a15d513, BEXTI, 33, ZBS),
        new Encoding(0x68c59533, BINV, 0, ZBS), new Encoding(0x68759513, BINVI, 7, ZBS),
        new Encoding(0x28c59533, BSET, 0, ZBS), new Encoding(0x2b259513, BSETI, 50, ZBS),
        new Encoding(0x0ac59533, CLMUL, 0, ZBC_ZBKC), new Encoding(0x0ac5b533, CLMULH, 0, ZBC_ZBKC),
        new Encoding(0x0ac5a533, CLMULR, 0, ZBC),
        new Encoding(0x0ec5d533, CZERO_EQZ, 0, ZICOND), new Encoding(0x0ec5f533, CZERO_NEZ, 0, ZICOND),
        new Encoding(0x08c5c533, PACK, 0, ZBKB), new Encoding(0x08c5f533, PACKH, 0, ZBKB),
        new Encoding(0x08c5c53b, PACKW, 0, ZBKB), new Encoding(0x6875d513, BREV8, 0, ZBKB),
        new Encoding(0x28c5a533, XPERM4, 0, ZBKX), new Encoding(0x28c5c533, XPERM8, 0, ZBKX));

    private static InstructionDecoder decoder(Set<String> extensions) {
        return new InstructionDecoder(true, true, true, false, false, false, new BitManipEncoding(extensions),
                CryptoEncoding.NONE_PRESENT);
    }

    @Test
    void everyEncodingDecodesToItsSelectorAndShiftAmount() {
        InstructionDecoder decoder = decoder(Set.copyOf(EXTENSIONS));
        assertThat(ENCODINGS).extracting(Encoding::selector).doesNotHaveDuplicates()
                .hasSize(BitManipEncoding.COUNT);
        for (Encoding encoding : ENCODINGS) {
            long decoded = decoder.decode(encoding.bits());
            int word = (int) decoded;
            String name = String.format("%08x", encoding.bits());
            assertThat(Opcodes.op(word)).as(name).isEqualTo(Opcodes.BITMANIP);
            assertThat((int) (decoded >>> 32)).as(name).isEqualTo(encoding.selector() << 6 | encoding.shamt());
            assertThat(Opcodes.rd(word)).as(name).isEqualTo(10);
            assertThat(Opcodes.rs1(word)).as(name).isEqualTo(11);
            int opcode = encoding.bits() & 0x7f;
            boolean unary = opcode == 0x13 || opcode == 0x1b || encoding.selector() == ZEXT_H;
            assertThat(Opcodes.rs2(word)).as(name).isEqualTo(unary ? 0 : 12);
        }
    }

    @Test
    void eachExtensionDecodesOnlyItsOwnInstructions() {
        for (String extension : EXTENSIONS) {
            InstructionDecoder decoder = decoder(Set.of(extension));
            for (Encoding encoding : ENCODINGS) {
                int op = Opcodes.op((int) decoder.decode(encoding.bits()));
                assertThat(op).as("%08x with %s alone", encoding.bits(), extension)
                        .isEqualTo(encoding.extensions().contains(extension) ? Opcodes.BITMANIP : Opcodes.ILLEGAL);
            }
        }
        for (Encoding encoding : ENCODINGS) {
            assertThat(Opcodes.op((int) new InstructionDecoder(true, true, true, false).decode(encoding.bits())))
                    .isEqualTo(Opcodes.ILLEGAL);
        }
    }

    @Test
    void zextHIsPackwWithX0AndEitherComputesIt() {
        // Zbkb alone reads ZEXT.H's bits as PACKW rd, rs1, x0 (the same result); Zbb alone has no other PACKW.
        assertThat((int) (decoder(ZBKB).decode(0x0805c53b) >>> 32)).isEqualTo(PACKW << 6);
        assertThat(Opcodes.op((int) decoder(ZBB).decode(0x08c5c53b))).isEqualTo(Opcodes.ILLEGAL);
        assertThat((int) (decoder(ZBB_ZBKB).decode(0x08c5c53b) >>> 32)).isEqualTo(PACKW << 6);
    }

    @Test
    void theBaseInstructionsAroundThemStayAsTheyWere() {
        InstructionDecoder decoder = decoder(Set.copyOf(EXTENSIONS));
        // sub, sra, srai a0,a1,63, slli a0,a1,63, addiw, sraiw a0,a1,31, mul, add
        int[][] base = {{0x40c58533, Opcodes.SUB}, {0x40c5d533, Opcodes.SRA}, {0x43f5d513, Opcodes.SRAI},
            {0x03f59513, Opcodes.SLLI}, {0x0015851b, Opcodes.ADDIW}, {0x41f5d51b, Opcodes.SRAIW},
            {0x02c58533, Opcodes.MUL}, {0x00c58533, Opcodes.ADD}};
        for (int[] instruction : base) {
            assertThat(Opcodes.op((int) decoder.decode(instruction[0]))).as("%08x", instruction[0])
                    .isEqualTo(instruction[1]);
        }
        // Reserved neighbours: zext.h with rs2 != 0 (without Zbkb), clz's funct12 + 3, slli.uw's funct6 with
        // funct3 5; funct7 0000111 with funct3 4 and 6 (beside CZERO), 0000100 with funct3 5 (beside PACK), xperm's
        // funct7 with funct3 3; and ZIP and UNZIP (a0, a1; GNU as -march=rv32i_zbkb), which RV64 does not have.
        for (int reserved : new int[] {0x0ec5c533, 0x0ec5e533, 0x08c5d533, 0x28c5b533, 0x08f59513, 0x08f5d513}) {
            assertThat(Opcodes.op((int) decoder.decode(reserved))).as("%08x", reserved).isEqualTo(Opcodes.ILLEGAL);
        }
        InstructionDecoder withoutZbkb = decoder(Set.of("zba", "zbb", "zbc", "zbs"));
        for (int reserved : new int[] {0x0815c53b, 0x60359513, 0x0a55d51b}) {
            assertThat(Opcodes.op((int) withoutZbkb.decode(reserved))).as("%08x", reserved)
                    .isEqualTo(Opcodes.ILLEGAL);
        }
    }
}
