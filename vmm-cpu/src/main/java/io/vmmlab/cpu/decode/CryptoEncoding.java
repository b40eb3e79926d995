package io.vmmlab.cpu.decode;

import java.util.Set;

/**
 * The encodings of the scalar cryptography extensions' RV64 instructions (ISA manual, "Scalar Cryptography
 * Extensions"): Zknd (AES64DS, AES64DSM, AES64IM), Zkne (AES64ES, AES64ESM), both (AES64KS1I, AES64KS2), Zknh
 * (SHA256SIG0/1, SHA256SUM0/1, SHA512SIG0/1, SHA512SUM0/1), Zksed (SM4ED, SM4KS) and Zksh (SM3P0, SM3P1). Each
 * decodes to {@link Opcodes#CRYPTO} with an immediate of {@code selector << 6 | constant}, the constant being
 * AES64KS1I's round number or SM4ED/SM4KS's byte select; the selector is one of the constants here, in the order of
 * {@code io.vmmlab.cpu.exec.ScalarCrypto}'s operations. The RV32-only forms (AES32*, SHA512SIG0H ...) stay illegal.
 * The bit-manipulation ones the crypto suites include (Zbkb, Zbkc, Zbkx) are {@link BitManipEncoding}'s.
 */
public final class CryptoEncoding {
    // Zknd / Zkne
    public static final int AES64DS = 0;
    public static final int AES64DSM = 1;
    public static final int AES64ES = 2;
    public static final int AES64ESM = 3;
    public static final int AES64IM = 4;
    public static final int AES64KS1I = 5;
    public static final int AES64KS2 = 6;
    // Zknh
    public static final int SHA256SIG0 = 7;
    public static final int SHA256SIG1 = 8;
    public static final int SHA256SUM0 = 9;
    public static final int SHA256SUM1 = 10;
    public static final int SHA512SIG0 = 11;
    public static final int SHA512SIG1 = 12;
    public static final int SHA512SUM0 = 13;
    public static final int SHA512SUM1 = 14;
    // Zksh
    public static final int SM3P0 = 15;
    public static final int SM3P1 = 16;
    // Zksed
    public static final int SM4ED = 17;
    public static final int SM4KS = 18;
    /** One more than the highest selector. */
    public static final int COUNT = 19;

    /** Returned by {@link #decode} for an encoding that is none of these (or whose extension is absent). */
    public static final int NONE = -1;

    /** A hart without any of them. */
    public static final CryptoEncoding NONE_PRESENT = new CryptoEncoding(Set.of());

    private final boolean zknd;
    private final boolean zkne;
    private final boolean zknh;
    private final boolean zksed;
    private final boolean zksh;

    /**
     * Creates the decoder for the extensions a hart has.
     *
     * @param extensions the hart's multi-letter extensions, lowercase (the others are ignored): any of zknd, zkne,
     *        zknh, zksed and zksh
     */
    public CryptoEncoding(Set<String> extensions) {
        this.zknd = extensions.contains("zknd");
        this.zkne = extensions.contains("zkne");
        this.zknh = extensions.contains("zknh");
        this.zksed = extensions.contains("zksed");
        this.zksh = extensions.contains("zksh");
    }

    /**
     * Tells whether a selector reads rs2 (the others have rs1 only).
     *
     * @param selector a selector
     * @return true for AES64DS, AES64DSM, AES64ES, AES64ESM, AES64KS2, SM4ED and SM4KS
     */
    public static boolean readsRs2(int selector) {
        return selector <= AES64ESM || selector == AES64KS2 || selector == SM4ED || selector == SM4KS;
    }

    /**
     * Decodes an instruction of these extensions.
     *
     * @param insn the instruction bits
     * @return the immediate for {@link Opcodes#CRYPTO}, or {@link #NONE} for any other instruction and for one of
     *         an extension the hart does not have
     */
    int decode(int insn) {
        if (((insn >>> 12) & 7) == 0 && (insn & 0x7f) == 0x33) {
            return register(insn >>> 25);
        }
        if (((insn >>> 12) & 7) == 1 && (insn & 0x7f) == 0x13) {
            return unary(insn >>> 20);
        }
        return NONE;
    }

    /** OP with funct3 0: the AES rounds, AES64KS2 and SM4 (bits 31:30 the byte select, 29:25 the operation). */
    private int register(int funct7) {
        int selector = switch (funct7) {
            case 0x19 -> zkne ? AES64ES : NONE;
            case 0x1b -> zkne ? AES64ESM : NONE;
            case 0x1d -> zknd ? AES64DS : NONE;
            case 0x1f -> zknd ? AES64DSM : NONE;
            case 0x3f -> zknd || zkne ? AES64KS2 : NONE;
            default -> switch (funct7 & 0x1f) {
                case 0x18 -> zksed ? SM4ED : NONE;
                case 0x1a -> zksed ? SM4KS : NONE;
                default -> NONE;
            };
        };
        return selector == NONE ? NONE : selector << 6 | (selector == SM4ED || selector == SM4KS ? funct7 >>> 5 : 0);
    }

    /** OP-IMM with funct3 1, by the 12 bits above rs1: AES64IM, AES64KS1I, the SHA-2 and SM3 functions. */
    private int unary(int funct12) {
        if ((funct12 & 0xff0) == 0x310) { // AES64KS1I: round numbers 0xb to 0xf are reserved
            int round = funct12 & 0xf;
            return (zknd || zkne) && round <= 0xa ? AES64KS1I << 6 | round : NONE;
        }
        int selector = switch (funct12) {
            case 0x300 -> zknd ? AES64IM : NONE;
            case 0x100 -> zknh ? SHA256SUM0 : NONE;
            case 0x101 -> zknh ? SHA256SUM1 : NONE;
            case 0x102 -> zknh ? SHA256SIG0 : NONE;
            case 0x103 -> zknh ? SHA256SIG1 : NONE;
            case 0x104 -> zknh ? SHA512SUM0 : NONE;
            case 0x105 -> zknh ? SHA512SUM1 : NONE;
            case 0x106 -> zknh ? SHA512SIG0 : NONE;
            case 0x107 -> zknh ? SHA512SIG1 : NONE;
            case 0x108 -> zksh ? SM3P0 : NONE;
            case 0x109 -> zksh ? SM3P1 : NONE;
            default -> NONE;
        };
        return selector == NONE ? NONE : selector << 6;
    }
}
