package io.vmmlab.hwassist;

/** Encodes the few RV64 instructions the hwassist tests' guests use (ISA manual encoding tables). */
final class Asm {
    static final int T0 = 5;
    static final int T1 = 6;
    static final int S0 = 8;
    static final int S1 = 9;
    static final int A0 = 10;
    static final int A1 = 11;
    static final int A2 = 12;
    static final int ECALL = 0x00000073;
    static final int WFI = 0x10500073;

    private Asm() {
    }

    static int addi(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
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

    /** jal x0, 0: spin. */
    static int spin() {
        return 0x0000006f;
    }

    static int load(int funct3, int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x03;
    }

    static int ld(int rd, int rs1, int imm) {
        return load(3, rd, rs1, imm);
    }

    static int lb(int rd, int rs1, int imm) {
        return load(0, rd, rs1, imm);
    }

    static int store(int funct3, int rs2, int rs1, int imm) {
        return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1f) << 7 | 0x23;
    }

    static int sd(int rs2, int rs1, int imm) {
        return store(3, rs2, rs1, imm);
    }

    static int sw(int rs2, int rs1, int imm) {
        return store(2, rs2, rs1, imm);
    }

    /** C.SW rs2', offset(rs1'), registers x8..x15, offset a multiple of 4 below 128. */
    static int cSw(int rs2, int rs1, int offset) {
        return 0xc000 | ((offset >> 3) & 7) << 10 | (rs1 - 8) << 7 | ((offset >> 2) & 1) << 6
                | ((offset >> 6) & 1) << 5 | (rs2 - 8) << 2;
    }
}
