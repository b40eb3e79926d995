package io.vmmlab.cpu.testing;

/**
 * Encodes F and D instructions for tests (unprivileged volume, RV32/64G instruction listings); {@link Assembler}
 * has the integer ones.
 */
public final class FloatAssembler {
    /** fmt values. */
    public static final int S = 0;
    public static final int D = 1;
    /** Rounding modes (rm field). */
    public static final int RNE = 0;
    public static final int RTZ = 1;
    public static final int RDN = 2;
    public static final int RUP = 3;
    public static final int RMM = 4;
    public static final int DYN = 7;

    private FloatAssembler() {
    }

    public static int flw(int rd, int rs1, int imm) {
        return Assembler.iType(0x07, 2, rd, rs1, imm);
    }

    public static int fld(int rd, int rs1, int imm) {
        return Assembler.iType(0x07, 3, rd, rs1, imm);
    }

    public static int fsw(int rs2, int rs1, int imm) {
        return Assembler.sType(2, rs1, rs2, imm) ^ 0x23 ^ 0x27;
    }

    public static int fsd(int rs2, int rs1, int imm) {
        return Assembler.sType(3, rs1, rs2, imm) ^ 0x23 ^ 0x27;
    }

    /** An OP-FP instruction: funct5, fmt, funct3 (rm or selector). */
    public static int opFp(int funct5, int fmt, int funct3, int rd, int rs1, int rs2) {
        return Assembler.rType(0x53, funct3, funct5 << 2 | fmt, rd, rs1, rs2);
    }

    public static int fadd(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x00, fmt, DYN, rd, rs1, rs2);
    }

    public static int fsub(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x01, fmt, DYN, rd, rs1, rs2);
    }

    public static int fmul(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x02, fmt, DYN, rd, rs1, rs2);
    }

    public static int fdiv(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x03, fmt, DYN, rd, rs1, rs2);
    }

    public static int fsqrt(int fmt, int rd, int rs1) {
        return opFp(0x0b, fmt, DYN, rd, rs1, 0);
    }

    /** FSGNJ (0), FSGNJN (1), FSGNJX (2). */
    public static int fsgnj(int fmt, int kind, int rd, int rs1, int rs2) {
        return opFp(0x04, fmt, kind, rd, rs1, rs2);
    }

    public static int fmin(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x05, fmt, 0, rd, rs1, rs2);
    }

    public static int fmax(int fmt, int rd, int rs1, int rs2) {
        return opFp(0x05, fmt, 1, rd, rs1, rs2);
    }

    /** FLE (0), FLT (1), FEQ (2). */
    public static int fcompare(int fmt, int kind, int rd, int rs1, int rs2) {
        return opFp(0x14, fmt, kind, rd, rs1, rs2);
    }

    /** FCVT.{W,WU,L,LU}.fmt (kind 0 to 3). */
    public static int fcvtToInteger(int fmt, int kind, int rm, int rd, int rs1) {
        return opFp(0x18, fmt, rm, rd, rs1, kind);
    }

    /** FCVT.fmt.{W,WU,L,LU} (kind 0 to 3). */
    public static int fcvtFromInteger(int fmt, int kind, int rm, int rd, int rs1) {
        return opFp(0x1a, fmt, rm, rd, rs1, kind);
    }

    public static int fcvtSD(int rd, int rs1) {
        return opFp(0x08, S, DYN, rd, rs1, D);
    }

    public static int fcvtDS(int rd, int rs1) {
        return opFp(0x08, D, DYN, rd, rs1, S);
    }

    /** FMV.X.W (fmt S) or FMV.X.D. */
    public static int fmvToInteger(int fmt, int rd, int rs1) {
        return opFp(0x1c, fmt, 0, rd, rs1, 0);
    }

    public static int fclass(int fmt, int rd, int rs1) {
        return opFp(0x1c, fmt, 1, rd, rs1, 0);
    }

    /** FMV.W.X (fmt S) or FMV.D.X. */
    public static int fmvFromInteger(int fmt, int rd, int rs1) {
        return opFp(0x1e, fmt, 0, rd, rs1, 0);
    }

    /** FMADD (0x43), FMSUB (0x47), FNMSUB (0x4b), FNMADD (0x4f). */
    public static int fused(int opcode, int fmt, int rd, int rs1, int rs2, int rs3) {
        return rs3 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | DYN << 12 | rd << 7 | opcode;
    }

    /** C.FLD rd', offset(rs1') with registers 8-15 and offset a multiple of 8 below 256. */
    public static int cFld(int rd, int rs1, int offset) {
        return 0x2000 | cMemory(rd, rs1, offset);
    }

    /** C.FSD rs2', offset(rs1'). */
    public static int cFsd(int rs2, int rs1, int offset) {
        return 0xa000 | cMemory(rs2, rs1, offset);
    }

    private static int cMemory(int register, int base, int offset) {
        return ((offset >> 3) & 7) << 10 | (base - 8) << 7 | ((offset >> 6) & 3) << 5 | (register - 8) << 2;
    }

    /** C.FLDSP rd, offset(sp), offset a multiple of 8 below 512. */
    public static int cFldsp(int rd, int offset) {
        return 0x2002 | ((offset >> 5) & 1) << 12 | rd << 7 | ((offset >> 3) & 3) << 5 | ((offset >> 6) & 7) << 2;
    }

    /** C.FSDSP rs2, offset(sp). */
    public static int cFsdsp(int rs2, int offset) {
        return 0xa002 | ((offset >> 3) & 7) << 10 | ((offset >> 6) & 7) << 7 | rs2 << 2;
    }
}
