package io.vmmlab.cpu.decode;

import java.util.Set;

/**
 * The encodings of the bit-manipulation extensions Zba (address generation), Zbb (basic bit manipulation), Zbc
 * (carry-less multiplication) and Zbs (single-bit instructions), RV64 forms (ISA manual, "B Standard Extension for
 * Bit Manipulation"); of the scalar cryptography's bit-manipulation extensions Zbkb (Zbb's rotations, ANDN/ORN/XNOR
 * and REV8, plus PACK, PACKH, PACKW and BREV8; ZIP and UNZIP are RV32-only), Zbkc (CLMUL, CLMULH) and Zbkx (XPERM4,
 * XPERM8) (ISA manual, "Scalar Cryptography Extensions"); and of Zicond (CZERO.EQZ, CZERO.NEZ; "Zicond Extension for
 * Integer Conditional Operations"), which computes like them. Each decodes to {@link Opcodes#BITMANIP} with an
 * immediate of {@code selector << 6 | shift amount}; the selector is one of the constants here, in the order of
 * {@code io.vmmlab.cpu.exec.BitManipulation}'s operations.
 */
public final class BitManipEncoding {
    // Zba
    public static final int ADD_UW = 0;
    public static final int SH1ADD = 1;
    public static final int SH2ADD = 2;
    public static final int SH3ADD = 3;
    public static final int SH1ADD_UW = 4;
    public static final int SH2ADD_UW = 5;
    public static final int SH3ADD_UW = 6;
    public static final int SLLI_UW = 7;
    // Zbb
    public static final int ANDN = 8;
    public static final int ORN = 9;
    public static final int XNOR = 10;
    public static final int CLZ = 11;
    public static final int CLZW = 12;
    public static final int CTZ = 13;
    public static final int CTZW = 14;
    public static final int CPOP = 15;
    public static final int CPOPW = 16;
    public static final int MAX = 17;
    public static final int MAXU = 18;
    public static final int MIN = 19;
    public static final int MINU = 20;
    public static final int SEXT_B = 21;
    public static final int SEXT_H = 22;
    public static final int ZEXT_H = 23;
    public static final int ROL = 24;
    public static final int ROLW = 25;
    public static final int ROR = 26;
    public static final int RORI = 27;
    public static final int RORIW = 28;
    public static final int RORW = 29;
    public static final int ORC_B = 30;
    public static final int REV8 = 31;
    // Zbs
    public static final int BCLR = 32;
    public static final int BCLRI = 33;
    public static final int BEXT = 34;
    public static final int BEXTI = 35;
    public static final int BINV = 36;
    public static final int BINVI = 37;
    public static final int BSET = 38;
    public static final int BSETI = 39;
    // Zbc
    public static final int CLMUL = 40;
    public static final int CLMULH = 41;
    public static final int CLMULR = 42;
    // Zicond
    public static final int CZERO_EQZ = 43;
    public static final int CZERO_NEZ = 44;
    // Zbkb (beside Zbb's ANDN ... REV8)
    public static final int PACK = 45;
    public static final int PACKH = 46;
    public static final int PACKW = 47;
    public static final int BREV8 = 48;
    // Zbkx
    public static final int XPERM4 = 49;
    public static final int XPERM8 = 50;
    /** One more than the highest selector. */
    public static final int COUNT = 51;

    /** Returned by the decoding methods for an encoding that is none of these (or whose extension is absent). */
    public static final int NONE = -1;

    /** A hart without any of them. */
    public static final BitManipEncoding NONE_PRESENT = new BitManipEncoding(Set.of());

    private final boolean zba;
    private final boolean zbb;
    private final boolean zbc;
    private final boolean zbs;
    private final boolean zicond;
    private final boolean zbkb;
    private final boolean zbkx;
    /** Zbb's rotations, ANDN, ORN, XNOR and REV8, which Zbkb has too. */
    private final boolean zbbOrZbkb;
    /** CLMUL and CLMULH, which Zbc and Zbkc have. */
    private final boolean zbcOrZbkc;

    /**
     * Creates the decoder for the extensions a hart has.
     *
     * @param extensions the hart's multi-letter extensions, lowercase (the others are ignored): any of zba, zbb,
     *        zbc, zbs, zbkb, zbkc, zbkx and zicond
     */
    public BitManipEncoding(Set<String> extensions) {
        this.zba = extensions.contains("zba");
        this.zbb = extensions.contains("zbb");
        this.zbc = extensions.contains("zbc");
        this.zbs = extensions.contains("zbs");
        this.zicond = extensions.contains("zicond");
        this.zbkb = extensions.contains("zbkb");
        this.zbkx = extensions.contains("zbkx");
        this.zbbOrZbkb = zbb || zbkb;
        this.zbcOrZbkc = zbc || extensions.contains("zbkc");
    }

    /**
     * Tells whether a selector's second operand is the instruction's shift amount rather than rs2.
     *
     * @param selector a selector
     * @return true for the immediate forms (SLLI.UW, RORI, RORIW, BCLRI, BEXTI, BINVI, BSETI)
     */
    public static boolean immediateForm(int selector) {
        return selector == SLLI_UW || selector == RORI || selector == RORIW || selector == BCLRI
                || selector == BEXTI || selector == BINVI || selector == BSETI;
    }

    /**
     * Decodes an instruction of these extensions.
     *
     * @param insn the instruction bits
     * @return the immediate for {@link Opcodes#BITMANIP}, or {@link #NONE} for any other instruction (the base
     *         decoding's then) and for one of an extension the hart does not have
     */
    int decode(int insn) {
        int funct3 = (insn >>> 12) & 7;
        int funct7 = insn >>> 25;
        return switch (insn & 0x7f) {
            case 0x33 -> register(funct3, funct7);
            case 0x3b -> registerWord(funct3, funct7, (insn >>> 20) & 0x1f);
            case 0x13 -> funct3 == 1 || funct3 == 5 ? immediate(insn, funct3) : NONE;
            case 0x1b -> funct3 == 1 || funct3 == 5 ? immediateWord(insn, funct3) : NONE;
            default -> NONE;
        };
    }

    /**
     * Decodes an OP (0x33) instruction.
     *
     * @param funct3 its funct3
     * @param funct7 its funct7
     * @return the immediate for {@link Opcodes#BITMANIP}, or {@link #NONE}
     */
    private int register(int funct3, int funct7) {
        int selector = switch (funct7) {
            case 0x20 -> zbbOrZbkb ? (funct3 == 7 ? ANDN : funct3 == 6 ? ORN : funct3 == 4 ? XNOR : NONE) : NONE;
            case 0x05 -> switch (funct3) {
                case 1 -> zbcOrZbkc ? CLMUL : NONE;
                case 2 -> zbc ? CLMULR : NONE;
                case 3 -> zbcOrZbkc ? CLMULH : NONE;
                case 4 -> zbb ? MIN : NONE;
                case 5 -> zbb ? MINU : NONE;
                case 6 -> zbb ? MAX : NONE;
                case 7 -> zbb ? MAXU : NONE;
                default -> NONE;
            };
            case 0x30 -> zbbOrZbkb ? (funct3 == 1 ? ROL : funct3 == 5 ? ROR : NONE) : NONE;
            case 0x10 -> zba ? (funct3 == 2 ? SH1ADD : funct3 == 4 ? SH2ADD : funct3 == 6 ? SH3ADD : NONE) : NONE;
            case 0x24 -> zbs ? (funct3 == 1 ? BCLR : funct3 == 5 ? BEXT : NONE) : NONE;
            case 0x34 -> zbs && funct3 == 1 ? BINV : NONE;
            case 0x14 -> switch (funct3) {
                case 1 -> zbs ? BSET : NONE;
                case 2 -> zbkx ? XPERM4 : NONE;
                case 4 -> zbkx ? XPERM8 : NONE;
                default -> NONE;
            };
            case 0x04 -> zbkb ? (funct3 == 4 ? PACK : funct3 == 7 ? PACKH : NONE) : NONE;
            case 0x07 -> zicond ? (funct3 == 5 ? CZERO_EQZ : funct3 == 7 ? CZERO_NEZ : NONE) : NONE;
            default -> NONE;
        };
        return encode(selector, 0);
    }

    /**
     * Decodes an OP-32 (0x3b) instruction.
     *
     * @param funct3 its funct3
     * @param funct7 its funct7
     * @param rs2 its rs2 field
     * @return the immediate for {@link Opcodes#BITMANIP}, or {@link #NONE}
     */
    private int registerWord(int funct3, int funct7, int rs2) {
        int selector = switch (funct7) {
            // ZEXT.H is PACKW's encoding with rs2 = x0 (the same result): Zbb has only that form, Zbkb all.
            case 0x04 -> funct3 == 0 && zba ? ADD_UW : funct3 != 4 ? NONE : rs2 == 0 && zbb ? ZEXT_H
                    : zbkb ? PACKW : NONE;
            case 0x10 -> zba ? (funct3 == 2 ? SH1ADD_UW : funct3 == 4 ? SH2ADD_UW : funct3 == 6 ? SH3ADD_UW : NONE)
                    : NONE;
            case 0x30 -> zbbOrZbkb ? (funct3 == 1 ? ROLW : funct3 == 5 ? RORW : NONE) : NONE;
            default -> NONE;
        };
        return encode(selector, 0);
    }

    /**
     * Decodes an OP-IMM (0x13) instruction with funct3 1 or 5 (the shift group).
     *
     * @param insn the instruction bits
     * @param funct3 1 or 5
     * @return the immediate for {@link Opcodes#BITMANIP}, or {@link #NONE}
     */
    private int immediate(int insn, int funct3) {
        int funct12 = insn >>> 20;
        int funct6 = insn >>> 26;
        int shamt = (insn >>> 20) & 0x3f;
        int selector;
        if (funct3 == 1) {
            selector = switch (funct12) {
                case 0x600 -> zbb ? CLZ : NONE;
                case 0x601 -> zbb ? CTZ : NONE;
                case 0x602 -> zbb ? CPOP : NONE;
                case 0x604 -> zbb ? SEXT_B : NONE;
                case 0x605 -> zbb ? SEXT_H : NONE;
                default -> switch (funct6) {
                    case 0x12 -> zbs ? BCLRI : NONE;
                    case 0x1a -> zbs ? BINVI : NONE;
                    case 0x0a -> zbs ? BSETI : NONE;
                    default -> NONE;
                };
            };
        } else {
            selector = switch (funct12) {
                case 0x287 -> zbb ? ORC_B : NONE;
                case 0x6b8 -> zbbOrZbkb ? REV8 : NONE;
                case 0x687 -> zbkb ? BREV8 : NONE;
                default -> switch (funct6) {
                    case 0x18 -> zbbOrZbkb ? RORI : NONE;
                    case 0x12 -> zbs ? BEXTI : NONE;
                    default -> NONE;
                };
            };
        }
        return encode(selector, immediateForm(selector) ? shamt : 0);
    }

    /**
     * Decodes an OP-IMM-32 (0x1b) instruction with funct3 1 or 5.
     *
     * @param insn the instruction bits
     * @param funct3 1 or 5
     * @return the immediate for {@link Opcodes#BITMANIP}, or {@link #NONE}
     */
    private int immediateWord(int insn, int funct3) {
        int funct12 = insn >>> 20;
        int selector;
        int shamt = 0;
        if (funct3 == 1) {
            if ((insn >>> 26) == 0x02 && zba) {
                selector = SLLI_UW;
                shamt = (insn >>> 20) & 0x3f;
            } else {
                selector = !zbb ? NONE : funct12 == 0x600 ? CLZW : funct12 == 0x601 ? CTZW
                        : funct12 == 0x602 ? CPOPW : NONE;
            }
        } else {
            selector = (insn >>> 25) == 0x30 && zbbOrZbkb ? RORIW : NONE;
            shamt = (insn >>> 20) & 0x1f;
        }
        return encode(selector, shamt);
    }

    private static int encode(int selector, int shamt) {
        return selector == NONE ? NONE : selector << 6 | shamt;
    }
}
