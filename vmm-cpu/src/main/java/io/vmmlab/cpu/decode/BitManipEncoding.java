package io.vmmlab.cpu.decode;

/**
 * The encodings of the bit-manipulation extensions Zba (address generation), Zbb (basic bit manipulation), Zbc
 * (carry-less multiplication) and Zbs (single-bit instructions), RV64 forms (ISA manual, "B Standard Extension for Bit Manipulation"). Each decodes to
 * {@link Opcodes#BITMANIP} with an immediate of {@code selector << 6 | shift amount}; the selector is one of the
 * constants here, in the order of {@code io.vmmlab.cpu.exec.BitManipulation}'s operations.
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
    /** One more than the highest selector. */
    public static final int COUNT = 43;

    /** Returned by the decoding methods for an encoding that is none of these (or whose extension is absent). */
    public static final int NONE = -1;

    private final boolean zba;
    private final boolean zbb;
    private final boolean zbc;
    private final boolean zbs;

    /**
     * Creates the decoder for the extensions a hart has.
     *
     * @param zba Zba present
     * @param zbb Zbb present
     * @param zbc Zbc present
     * @param zbs Zbs present
     */
    public BitManipEncoding(boolean zba, boolean zbb, boolean zbc, boolean zbs) {
        this.zba = zba;
        this.zbb = zbb;
        this.zbc = zbc;
        this.zbs = zbs;
    }

    /** A hart without any of them. */
    public static final BitManipEncoding NONE_PRESENT = new BitManipEncoding(false, false, false, false);

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
            case 0x20 -> zbb ? (funct3 == 7 ? ANDN : funct3 == 6 ? ORN : funct3 == 4 ? XNOR : NONE) : NONE;
            case 0x05 -> switch (funct3) {
                case 1 -> zbc ? CLMUL : NONE;
                case 2 -> zbc ? CLMULR : NONE;
                case 3 -> zbc ? CLMULH : NONE;
                case 4 -> zbb ? MIN : NONE;
                case 5 -> zbb ? MINU : NONE;
                case 6 -> zbb ? MAX : NONE;
                case 7 -> zbb ? MAXU : NONE;
                default -> NONE;
            };
            case 0x30 -> zbb ? (funct3 == 1 ? ROL : funct3 == 5 ? ROR : NONE) : NONE;
            case 0x10 -> zba ? (funct3 == 2 ? SH1ADD : funct3 == 4 ? SH2ADD : funct3 == 6 ? SH3ADD : NONE) : NONE;
            case 0x24 -> zbs ? (funct3 == 1 ? BCLR : funct3 == 5 ? BEXT : NONE) : NONE;
            case 0x34 -> zbs && funct3 == 1 ? BINV : NONE;
            case 0x14 -> zbs && funct3 == 1 ? BSET : NONE;
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
            case 0x04 -> funct3 == 0 && zba ? ADD_UW : funct3 == 4 && rs2 == 0 && zbb ? ZEXT_H : NONE;
            case 0x10 -> zba ? (funct3 == 2 ? SH1ADD_UW : funct3 == 4 ? SH2ADD_UW : funct3 == 6 ? SH3ADD_UW : NONE)
                    : NONE;
            case 0x30 -> zbb ? (funct3 == 1 ? ROLW : funct3 == 5 ? RORW : NONE) : NONE;
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
                case 0x6b8 -> zbb ? REV8 : NONE;
                default -> switch (funct6) {
                    case 0x18 -> zbb ? RORI : NONE;
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
            selector = (insn >>> 25) == 0x30 && zbb ? RORIW : NONE;
            shamt = (insn >>> 20) & 0x1f;
        }
        return encode(selector, shamt);
    }

    private static int encode(int selector, int shamt) {
        return selector == NONE ? NONE : selector << 6 | shamt;
    }
}
