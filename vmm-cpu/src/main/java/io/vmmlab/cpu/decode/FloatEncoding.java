package io.vmmlab.cpu.decode;

/**
 * The encodings of the F and D extensions (unprivileged volume, "F" and "D" Standard Extension chapters, and the
 * RV32/64G instruction listings): major opcodes LOAD-FP, STORE-FP, MADD, MSUB, NMSUB, NMADD and OP-FP, the fmt field
 * (S or D; H and Q are not implemented), the rm field and the funct5 values of OP-FP.
 *
 * <p>{@link #isValid} is the decoder's check of everything an encoding alone decides: absent formats, reserved
 * funct5/rs2/funct3 values, and the reserved static rounding modes 5 and 6. A dynamic rounding mode (7) is checked
 * against {@code frm} when the instruction runs.
 */
public final class FloatEncoding {
    public static final int LOAD_FP = 0x07;
    public static final int STORE_FP = 0x27;
    public static final int MADD = 0x43;
    public static final int MSUB = 0x47;
    public static final int NMSUB = 0x4b;
    public static final int NMADD = 0x4f;
    public static final int OP_FP = 0x53;

    /** OP-FP funct5 values (funct7 without the fmt bits). */
    public static final int FADD = 0x00;
    public static final int FSUB = 0x01;
    public static final int FMUL = 0x02;
    public static final int FDIV = 0x03;
    public static final int FSGNJ = 0x04;
    public static final int FMINMAX = 0x05;
    public static final int FCVT_FLOAT = 0x08;
    public static final int FSQRT = 0x0b;
    public static final int FCOMPARE = 0x14;
    public static final int FCVT_TO_INTEGER = 0x18;
    public static final int FCVT_FROM_INTEGER = 0x1a;
    public static final int FMV_TO_INTEGER = 0x1c;
    public static final int FMV_FROM_INTEGER = 0x1e;

    /** fmt values. */
    public static final int SINGLE = 0;
    public static final int DOUBLE = 1;

    private FloatEncoding() {
    }

    /**
     * Tells whether a 32-bit instruction of one of the floating-point major opcodes is a defined encoding.
     *
     * @param insn the instruction bits
     * @param doublePrecision whether the D extension is present (F is)
     * @return true when it decodes to an F or D instruction
     */
    public static boolean isValid(int insn, boolean doublePrecision) {
        int funct3 = (insn >>> 12) & 7;
        int rs2 = (insn >>> 20) & 0x1f;
        int fmt = (insn >>> 25) & 3;
        boolean format = fmt == SINGLE || (fmt == DOUBLE && doublePrecision);
        boolean rounding = funct3 != 5 && funct3 != 6;
        return switch (insn & 0x7f) {
            case LOAD_FP, STORE_FP -> funct3 == 2 || (funct3 == 3 && doublePrecision);
            case MADD, MSUB, NMSUB, NMADD -> format && rounding;
            case OP_FP -> format && opFp(insn >>> 27, fmt, funct3, rs2, rounding, doublePrecision);
            default -> false;
        };
    }

    private static boolean opFp(int funct5, int fmt, int funct3, int rs2, boolean rounding, boolean doublePrecision) {
        return switch (funct5) {
            case FADD, FSUB, FMUL, FDIV -> rounding;
            case FSQRT -> rs2 == 0 && rounding;
            case FSGNJ, FCOMPARE -> funct3 <= 2;
            case FMINMAX -> funct3 <= 1;
            // FCVT.S.D (fmt S, rs2 = D) and FCVT.D.S (fmt D, rs2 = S): both need D.
            case FCVT_FLOAT -> doublePrecision && rs2 == (fmt == SINGLE ? DOUBLE : SINGLE) && rounding;
            case FCVT_TO_INTEGER, FCVT_FROM_INTEGER -> rs2 <= 3 && rounding;
            case FMV_TO_INTEGER -> rs2 == 0 && funct3 <= 1; // FMV.X.W/D (0), FCLASS (1)
            case FMV_FROM_INTEGER -> rs2 == 0 && funct3 == 0;
            default -> false;
        };
    }
}
