package io.vmmlab.cpu.exec;

import static io.vmmlab.cpu.decode.CryptoEncoding.*;

/**
 * What the scalar cryptography instructions of Zknd, Zkne, Zknh, Zksed and Zksh compute (RV64; ISA manual, "Scalar
 * Cryptography Extensions", the instructions' Sail code and its supporting functions). One small static method per
 * operation: the translator calls them by name ({@link #descriptor} gives each one's parameters: rs1, then rs2 when
 * it reads it, then AES64KS1I's round number or SM4's byte select), where the JIT inlines each; the interpreter goes
 * through {@link #compute}.
 *
 * <p>The S-boxes are tables (the AES ones are FIPS 197's, the SM4 one the specification's), so these methods' time
 * depends on the data through the host's caches: this hart does not claim Zkt.
 */
public final class ScalarCrypto {
    /** The operations' method names, by selector ({@link io.vmmlab.cpu.decode.CryptoEncoding}). */
    private static final String[] NAMES = {
        "aes64ds", "aes64dsm", "aes64es", "aes64esm", "aes64im", "aes64ks1i", "aes64ks2",
        "sha256sig0", "sha256sig1", "sha256sum0", "sha256sum1", "sha512sig0", "sha512sig1", "sha512sum0", "sha512sum1",
        "sm3p0", "sm3p1", "sm4ed", "sm4ks",
    };

    /** The AES S-box (FIPS 197, 5.1.1), by input byte. */
    private static final int[] AES_SBOX = {
        0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
        0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
        0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
        0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
        0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
        0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
        0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
        0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
        0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
        0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
        0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
        0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
        0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
        0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
        0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
        0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
    };

    /** Its inverse (FIPS 197, 5.3.2). */
    private static final int[] AES_INVERSE_SBOX = {
        0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
        0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
        0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
        0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
        0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
        0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
        0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
        0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
        0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
        0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
        0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
        0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
        0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
        0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
        0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
        0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
    };

    /** The SM4 S-box (GB/T 32907; the ISA manual's sm4_sbox_table), by input byte. */
    private static final int[] SM4_SBOX = {
        0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
        0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
        0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
        0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
        0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
        0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
        0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
        0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
        0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
        0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
        0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
        0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
        0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
        0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
        0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
        0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
    };

    private ScalarCrypto() {
    }

    /**
     * Returns the name of the static method that computes a selector's operation.
     *
     * @param selector a selector
     * @return the method's name
     */
    public static String methodName(int selector) {
        return NAMES[selector];
    }

    /**
     * Returns the JVM descriptor of that method: {@code (J)J} for rs1 alone, {@code (JJ)J} for rs1 and rs2,
     * {@code (JI)J} for AES64KS1I (rs1, round number), {@code (JJI)J} for SM4ED and SM4KS (rs1, rs2, byte select).
     *
     * @param selector a selector
     * @return the descriptor
     */
    public static String descriptor(int selector) {
        if (selector == AES64KS1I) {
            return "(JI)J";
        }
        if (selector == SM4ED || selector == SM4KS) {
            return "(JJI)J";
        }
        return readsRs2(selector) ? "(JJ)J" : "(J)J";
    }

    /**
     * Computes a decoded instruction.
     *
     * @param immediate the {@link io.vmmlab.cpu.decode.Opcodes#CRYPTO} immediate: selector and constant
     * @param a rs1's value
     * @param b rs2's value (ignored by the operations that read rs1 only)
     * @return rd's new value
     */
    public static long compute(int immediate, long a, long b) {
        int constant = immediate & 0x3f;
        return switch (immediate >>> 6) {
            case AES64DS -> aes64ds(a, b);
            case AES64DSM -> aes64dsm(a, b);
            case AES64ES -> aes64es(a, b);
            case AES64ESM -> aes64esm(a, b);
            case AES64IM -> aes64im(a);
            case AES64KS1I -> aes64ks1i(a, constant);
            case AES64KS2 -> aes64ks2(a, b);
            case SHA256SIG0 -> sha256sig0(a);
            case SHA256SIG1 -> sha256sig1(a);
            case SHA256SUM0 -> sha256sum0(a);
            case SHA256SUM1 -> sha256sum1(a);
            case SHA512SIG0 -> sha512sig0(a);
            case SHA512SIG1 -> sha512sig1(a);
            case SHA512SUM0 -> sha512sum0(a);
            case SHA512SUM1 -> sha512sum1(a);
            case SM3P0 -> sm3p0(a);
            case SM3P1 -> sm3p1(a);
            case SM4ED -> sm4ed(a, b, constant);
            case SM4KS -> sm4ks(a, b, constant);
            default -> throw new IllegalStateException("not a scalar cryptography selector: " + (immediate >>> 6));
        };
    }

    /** AES64ES: ShiftRows on the state rs2:rs1 (columns 0 and 1 in rs1), its low half through SubBytes. */
    public static long aes64es(long a, long b) {
        return subBytes(shiftRowsForward(a, b), AES_SBOX);
    }

    /** AES64ESM: AES64ES, then MixColumns on both columns. */
    public static long aes64esm(long a, long b) {
        long substituted = subBytes(shiftRowsForward(a, b), AES_SBOX);
        return (mixColumn((int) (substituted >>> 32)) & 0xffff_ffffL) << 32
                | mixColumn((int) substituted) & 0xffff_ffffL;
    }

    /** AES64DS: the inverse ShiftRows, its low half through the inverse SubBytes. */
    public static long aes64ds(long a, long b) {
        return subBytes(shiftRowsInverse(a, b), AES_INVERSE_SBOX);
    }

    /** AES64DSM: AES64DS, then the inverse MixColumns on both columns. */
    public static long aes64dsm(long a, long b) {
        return aes64im(subBytes(shiftRowsInverse(a, b), AES_INVERSE_SBOX));
    }

    /** AES64IM: the inverse MixColumns on both columns (the equivalent inverse cipher's key schedule). */
    public static long aes64im(long a) {
        return (inverseMixColumn((int) (a >>> 32)) & 0xffff_ffffL) << 32 | inverseMixColumn((int) a) & 0xffff_ffffL;
    }

    /**
     * AES64KS1I: SubWord of rs1's high word, rotated by a byte unless the round number is 0xa (AES-256's odd
     * steps), XORed with the round constant (none for 0xa), in both halves.
     */
    public static long aes64ks1i(long a, int round) {
        int word = (int) (a >>> 32);
        int rotated = round == 0xa ? word : Integer.rotateRight(word, 8);
        int substituted = AES_SBOX[rotated & 0xff] | AES_SBOX[rotated >>> 8 & 0xff] << 8
                | AES_SBOX[rotated >>> 16 & 0xff] << 16 | AES_SBOX[rotated >>> 24] << 24;
        int result = substituted ^ roundConstant(round);
        return (result & 0xffff_ffffL) << 32 | result & 0xffff_ffffL;
    }

    /** AES64KS2: w0 = rs1's high word ^ rs2's low word, w1 = w0 ^ rs2's high word; the result is w1:w0. */
    public static long aes64ks2(long a, long b) {
        long low = (a >>> 32 ^ b) & 0xffff_ffffL;
        return (low ^ b >>> 32) << 32 | low;
    }

    public static long sha256sig0(long a) {
        int x = (int) a;
        return Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ x >>> 3;
    }

    public static long sha256sig1(long a) {
        int x = (int) a;
        return Integer.rotateRight(x, 17) ^ Integer.rotateRight(x, 19) ^ x >>> 10;
    }

    public static long sha256sum0(long a) {
        int x = (int) a;
        return Integer.rotateRight(x, 2) ^ Integer.rotateRight(x, 13) ^ Integer.rotateRight(x, 22);
    }

    public static long sha256sum1(long a) {
        int x = (int) a;
        return Integer.rotateRight(x, 6) ^ Integer.rotateRight(x, 11) ^ Integer.rotateRight(x, 25);
    }

    public static long sha512sig0(long a) {
        return Long.rotateRight(a, 1) ^ Long.rotateRight(a, 8) ^ a >>> 7;
    }

    public static long sha512sig1(long a) {
        return Long.rotateRight(a, 19) ^ Long.rotateRight(a, 61) ^ a >>> 6;
    }

    public static long sha512sum0(long a) {
        return Long.rotateRight(a, 28) ^ Long.rotateRight(a, 34) ^ Long.rotateRight(a, 39);
    }

    public static long sha512sum1(long a) {
        return Long.rotateRight(a, 14) ^ Long.rotateRight(a, 18) ^ Long.rotateRight(a, 41);
    }

    /** SM3P0: SM3's permutation P0 of the low word, sign-extended. */
    public static long sm3p0(long a) {
        int x = (int) a;
        return x ^ Integer.rotateLeft(x, 9) ^ Integer.rotateLeft(x, 17);
    }

    /** SM3P1: SM3's permutation P1 of the low word, sign-extended. */
    public static long sm3p1(long a) {
        int x = (int) a;
        return x ^ Integer.rotateLeft(x, 15) ^ Integer.rotateLeft(x, 23);
    }

    /**
     * SM4ED: byte {@code select} of rs2's low word through the S-box and the cipher's linear transform L, rotated back
     * to that byte's place, XORed into rs1's low word; sign-extended.
     */
    public static long sm4ed(long a, long b, int select) {
        int x = SM4_SBOX[(int) (b >>> (select << 3)) & 0xff];
        int y = x ^ x << 8 ^ x << 2 ^ x << 18 ^ (x & 0x3f) << 26 ^ (x & 0xc0) << 10;
        return (int) a ^ Integer.rotateLeft(y, select << 3);
    }

    /** SM4KS: as SM4ED with the key schedule's linear transform L'. */
    public static long sm4ks(long a, long b, int select) {
        int x = SM4_SBOX[(int) (b >>> (select << 3)) & 0xff];
        int y = x ^ (x & 0x07) << 29 ^ (x & 0xfe) << 7 ^ (x & 0x01) << 23 ^ (x & 0xf8) << 13;
        return (int) a ^ Integer.rotateLeft(y, select << 3);
    }

    /**
     * The low half of ShiftRows applied to the state rs2:rs1 (byte 4c + r is row r of column c): row r of column c
     * comes from column c + r.
     */
    private static long shiftRowsForward(long low, long high) {
        return byteAt(low, high, 0) | byteAt(low, high, 5) << 8 | byteAt(low, high, 10) << 16
                | byteAt(low, high, 15) << 24 | byteAt(low, high, 4) << 32 | byteAt(low, high, 9) << 40
                | byteAt(low, high, 14) << 48 | byteAt(low, high, 3) << 56;
    }

    /** The low half of the inverse ShiftRows: row r of column c comes from column c - r. */
    private static long shiftRowsInverse(long low, long high) {
        return byteAt(low, high, 0) | byteAt(low, high, 13) << 8 | byteAt(low, high, 10) << 16
                | byteAt(low, high, 7) << 24 | byteAt(low, high, 4) << 32 | byteAt(low, high, 1) << 40
                | byteAt(low, high, 14) << 48 | byteAt(low, high, 11) << 56;
    }

    /** Byte {@code index} (0 to 15) of the 128-bit value high:low. */
    private static long byteAt(long low, long high, int index) {
        return (index < 8 ? low >>> (index << 3) : high >>> ((index - 8) << 3)) & 0xff;
    }

    private static long subBytes(long value, int[] box) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 8) {
            result |= (long) box[(int) (value >>> shift) & 0xff] << shift;
        }
        return result;
    }

    /** MixColumns on one column, byte 0 its first row (FIPS 197, 5.1.3). */
    private static int mixColumn(int column) {
        int result = 0;
        for (int row = 0; row < 4; row++) {
            int s0 = column >>> (row << 3) & 0xff;
            int s1 = column >>> (((row + 1) & 3) << 3) & 0xff;
            int s2 = column >>> (((row + 2) & 3) << 3) & 0xff;
            int s3 = column >>> (((row + 3) & 3) << 3) & 0xff;
            result |= (times2(s0) ^ times2(s1) ^ s1 ^ s2 ^ s3) << (row << 3);
        }
        return result;
    }

    /** The inverse MixColumns on one column (FIPS 197, 5.3.3): coefficients e, b, d, 9. */
    private static int inverseMixColumn(int column) {
        int result = 0;
        for (int row = 0; row < 4; row++) {
            int s0 = column >>> (row << 3) & 0xff;
            int s1 = column >>> (((row + 1) & 3) << 3) & 0xff;
            int s2 = column >>> (((row + 2) & 3) << 3) & 0xff;
            int s3 = column >>> (((row + 3) & 3) << 3) & 0xff;
            int s0x2 = times2(s0);
            int s0x4 = times2(s0x2);
            int s0x8 = times2(s0x4);
            int s1x2 = times2(s1);
            int s1x8 = times2(times2(s1x2));
            int s2x4 = times2(times2(s2));
            int s2x8 = times2(s2x4);
            int s3x8 = times2(times2(times2(s3)));
            result |= (s0x8 ^ s0x4 ^ s0x2 ^ s1x8 ^ s1x2 ^ s1 ^ s2x8 ^ s2x4 ^ s2 ^ s3x8 ^ s3) << (row << 3);
        }
        return result;
    }

    /** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
    private static int times2(int value) {
        return (value << 1 ^ (value >>> 7) * 0x1b) & 0xff;
    }

    /** The key schedule's round constant for round numbers 0 to 9 (x^round in GF(2^8)), zero for 0xa. */
    private static int roundConstant(int round) {
        int constant = 1;
        for (int step = 0; step < round; step++) {
            constant = times2(constant);
        }
        return round == 0xa ? 0 : constant;
    }
}
