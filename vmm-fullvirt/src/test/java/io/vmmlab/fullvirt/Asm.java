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
}
