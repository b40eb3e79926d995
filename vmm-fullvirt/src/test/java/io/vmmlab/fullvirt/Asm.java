package io.vmmlab.fullvirt;

/** Hand encodings of the few RV64 instructions the behaviour tests use (ISA manual, "RV32/64G Instruction Set Listings"). */
final class Asm {
    static final int T0 = 5;
    static final int T1 = 6;
    static final int T2 = 7;
    static final int S0 = 8;
    static final int A0 = 10;
    static final int A1 = 11;
    static final int T3 = 28;
    static final int ECALL = 0x00000073;
    static final int SRET = 0x10200073;
    static final int SFENCE_VMA = 0x12000073;
    static final int FENCE_I = 0x0000100f;
    static final int RA = 1;

    private Asm() {
    }

    static int addi(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
    }

    static int auipc(int rd, int imm20) {
        return imm20 << 12 | rd << 7 | 0x17;
    }

    static int csrrw(int rd, int csr, int rs1) {
        return csr << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x73;
    }

    static int csrrs(int rd, int csr, int rs1) {
        return csr << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x73;
    }

    static int csrrsi(int rd, int csr, int immediate) {
        return csr << 20 | immediate << 15 | 6 << 12 | rd << 7 | 0x73;
    }

    static int ld(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x03;
    }

    static int lw(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x03;
    }

    static int sd(int rs2, int rs1, int imm) {
        return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (imm & 0x1f) << 7 | 0x23;
    }

    static int sw(int rs2, int rs1, int imm) {
        return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 2 << 12 | (imm & 0x1f) << 7 | 0x23;
    }

    static int jal(int rd, int offset) {
        return ((offset >>> 20) & 1) << 31 | ((offset >>> 1) & 0x3ff) << 21 | ((offset >>> 11) & 1) << 20
                | ((offset >>> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    static int jalr(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x67;
    }

    static int beq(int rs1, int rs2, int offset) {
        return bne(rs1, rs2, offset) & ~(1 << 12);
    }

    static int bne(int rs1, int rs2, int offset) {
        return ((offset >>> 12) & 1) << 31 | ((offset >>> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((offset >>> 1) & 0xf) << 8 | ((offset >>> 11) & 1) << 7 | 0x63;
    }

    /** The callout opcode (custom-0) with a payload, as a guest might execute it. */
    static int custom0(int payload) {
        return payload << 7 | 0x0b;
    }

    /** C.BNEZ rs1', offset (rs1 is x8 to x15). */
    static int cBnez(int rs1, int offset) {
        return 7 << 13 | ((offset >>> 8) & 1) << 12 | ((offset >>> 3) & 3) << 10 | (rs1 - 8) << 7
                | ((offset >>> 6) & 3) << 5 | ((offset >>> 1) & 3) << 3 | ((offset >>> 5) & 1) << 2 | 1;
    }

    /** C.ADDI rd, imm (imm in -32..31, not 0). */
    static int cAddi(int rd, int imm) {
        return ((imm >>> 5) & 1) << 12 | rd << 7 | (imm & 0x1f) << 2 | 1;
    }

    /** Two compressed instructions as the 32-bit word that holds them (the first at the lower address). */
    static int pair(int first, int second) {
        return second << 16 | (first & 0xffff);
    }
}
