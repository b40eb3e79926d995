package io.vmmlab.cpu.exec;

import static io.vmmlab.cpu.decode.CryptoEncoding.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmmlab.cpu.decode.BitManipEncoding;
import io.vmmlab.cpu.decode.CryptoEncoding;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.testing.ReferenceCrypto;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every Zknd, Zkne, Zknh, Zksed and Zksh operation against the reference written from the algorithms' standards
 * ({@link ReferenceCrypto}) on edge and random values, through the interpreter's entry ({@link ScalarCrypto#compute})
 * and through the method the translator calls by name; the S-boxes against their definitions; and the standards'
 * own known-answer examples computed with these operations (see {@link CryptoKnownAnswers}).
 */
final class ScalarCryptoTest {
    /** One GNU as encoding per selector (a0, a1, a2), AES64KS1I with round 3, SM4ED with byte 2, SM4KS byte 3. */
    private static final int[] ENCODINGS = {
        0x3ac58533, 0x3ec58533, 0x32c58533, 0x36c58533, 0x30059513, 0x31359513, 0x7ec58533,
        0x10259513, 0x10359513, 0x10059513, 0x10159513, 0x10659513, 0x10759513, 0x10459513, 0x10559513,
        0x10859513, 0x10959513, 0xb0c58533, 0xf4c58533,
    };
    private static final long[] EDGES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL,
        0x7fff_ffffL, 0x80L, 0xff00L, 0x0100_0000_0000_0080L, 0x0123_4567_89ab_cdefL, 0x63L << 56};

    private final InstructionDecoder decoder = new InstructionDecoder(true, true, true, false, false, false,
            BitManipEncoding.NONE_PRESENT, new CryptoEncoding(Set.of("zknd", "zkne", "zknh", "zksed", "zksh")));

    @Test
    void everyOperationMatchesTheReference() throws Throwable {
        Random random = new Random(11);
        for (int selector = 0; selector < CryptoEncoding.COUNT; selector++) {
            for (int constant : constants(selector)) {
                int insn = withConstant(ENCODINGS[selector], selector, constant);
                int immediate = (int) (decoder.decode(insn) >>> 32);
                assertThat(immediate).isEqualTo(selector << 6 | constant);
                MethodHandle method = MethodHandles.publicLookup().findStatic(ScalarCrypto.class,
                        ScalarCrypto.methodName(selector),
                        MethodType.fromMethodDescriptorString(ScalarCrypto.descriptor(selector), null));
                for (int trial = 0; trial < 600; trial++) {
                    long a = trial < EDGES.length * EDGES.length ? EDGES[trial % EDGES.length] : random.nextLong();
                    long b = trial < EDGES.length * EDGES.length ? EDGES[trial / EDGES.length] : random.nextLong();
                    long expected = ReferenceCrypto.execute(insn, a, b).orElseThrow();
                    String context = String.format("%s[%d](%#x, %#x)", ScalarCrypto.methodName(selector), constant,
                            a, b);
                    assertThat(ScalarCrypto.compute(immediate, a, b)).as(context).isEqualTo(expected);
                    assertThat(byName(method, selector, a, b, constant)).as(context + " by name").isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theSboxesAreTheStandardsAndMatchTheirDefinitions() {
        // FIPS 197 figure 7 and GB/T 32907 table entries, then every byte against the reference's derivations.
        assertThat(ScalarCrypto.aes64es(0, 0)).isEqualTo(0x6363_6363_6363_6363L);
        assertThat(ScalarCrypto.aes64es(0x53, 0) & 0xff).isEqualTo(0xed);
        assertThat(ScalarCrypto.aes64ds(0x6363_6363_6363_6363L, 0x6363_6363_6363_6363L)).isZero();
        assertThat(ReferenceCrypto.aesSbox(0x53)).isEqualTo(0xed);
        assertThat(ReferenceCrypto.sm4Sbox(0x00)).isEqualTo(0xd6);
        assertThat(ReferenceCrypto.sm4Sbox(0xef)).isEqualTo(0x84);
        assertThat(ReferenceCrypto.sm4Sbox(0xff)).isEqualTo(0x48);
        for (int value = 0; value < 256; value++) {
            long spread = value * 0x0101_0101_0101_0101L;
            assertThat(ScalarCrypto.aes64es(spread, spread) & 0xff).as("S(%02x)", value)
                    .isEqualTo(ReferenceCrypto.aesSbox(value));
            assertThat(ScalarCrypto.aes64ds(ReferenceCrypto.aesSbox(value), 0) & 0xff).as("S^-1")
                    .isEqualTo(value);
        }
    }

    @Test
    void knownAnswers() {
        HexFormat hex = HexFormat.of();
        // FIPS 197, appendix C.1 and C.3 (AES-128, AES-256: key 00 01 02 ..., plaintext 00 11 22 ... ff)
        assertThat(hex.formatHex(CryptoKnownAnswers.aesEncrypt(hex.parseHex("000102030405060708090a0b0c0d0e0f"),
                hex.parseHex("00112233445566778899aabbccddeeff")))).isEqualTo("69c4e0d86a7b0430d8cdb78070b4c55a");
        assertThat(hex.formatHex(CryptoKnownAnswers.aesDecrypt(hex.parseHex("000102030405060708090a0b0c0d0e0f"),
                hex.parseHex("69c4e0d86a7b0430d8cdb78070b4c55a")))).isEqualTo("00112233445566778899aabbccddeeff");
        byte[] key256 = hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        assertThat(hex.formatHex(CryptoKnownAnswers.aesEncrypt(key256,
                hex.parseHex("00112233445566778899aabbccddeeff")))).isEqualTo("8ea2b7ca516745bfeafc49904b496089");
        assertThat(hex.formatHex(CryptoKnownAnswers.aesDecrypt(key256,
                hex.parseHex("8ea2b7ca516745bfeafc49904b496089")))).isEqualTo("00112233445566778899aabbccddeeff");
        // FIPS 180-4 examples (NIST's SHA256.pdf, SHA512.pdf): "abc"
        assertThat(hex.formatHex(CryptoKnownAnswers.sha256("abc".getBytes())))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex.formatHex(CryptoKnownAnswers.sha512("abc".getBytes())))
                .isEqualTo("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                        + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
        // GB/T 32905 appendix A.1 (SM3 of "abc") and GB/T 32907 appendix A.1 (SM4, key = plaintext)
        assertThat(hex.formatHex(CryptoKnownAnswers.sm3("abc".getBytes())))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        byte[] sm4Key = hex.parseHex("0123456789abcdeffedcba9876543210");
        assertThat(hex.formatHex(CryptoKnownAnswers.sm4(sm4Key, sm4Key, false)))
                .isEqualTo("681edf34d206965e86b3e94f536e4246");
        assertThat(hex.formatHex(CryptoKnownAnswers.sm4(sm4Key, hex.parseHex("681edf34d206965e86b3e94f536e4246"),
                true))).isEqualTo("0123456789abcdeffedcba9876543210");
    }

    @Test
    void keyScheduleRoundConstantsAndRoundTen() {
        // AES64KS1I on a zero word: SubWord gives 63636363, XORed with rcon(round) (none for round 10)
        int[] rcon = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36, 0x00};
        for (int round = 0; round <= 10; round++) {
            long word = 0x6363_6363L ^ rcon[round];
            assertThat(ScalarCrypto.aes64ks1i(0, round)).as("round %d", round).isEqualTo(word << 32 | word);
        }
        // round 10 does not rotate: byte 0 of the high word stays byte 0
        assertThat(ScalarCrypto.aes64ks1i(0x53L << 32, 10) & 0xff).isEqualTo(0xed);
        assertThat(ScalarCrypto.aes64ks1i(0x53L << 32, 0) >>> 56).isEqualTo(0xed);
    }

    private static int[] constants(int selector) {
        if (selector == AES64KS1I) {
            return new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        }
        return selector == SM4ED || selector == SM4KS ? new int[] {0, 1, 2, 3} : new int[] {0};
    }

    private static int withConstant(int insn, int selector, int constant) {
        if (selector == AES64KS1I) {
            return insn & ~(0xf << 20) | constant << 20;
        }
        return selector == SM4ED || selector == SM4KS ? insn & 0x3fff_ffff | constant << 30 : insn;
    }

    private static long byName(MethodHandle method, int selector, long a, long b, int constant) throws Throwable {
        return switch (ScalarCrypto.descriptor(selector)) {
            case "(J)J" -> (long) method.invokeExact(a);
            case "(JJ)J" -> (long) method.invokeExact(a, b);
            case "(JI)J" -> (long) method.invokeExact(a, constant);
            default -> (long) method.invokeExact(a, b, constant);
        };
    }
}
