package io.vmmlab.cpu.testing;

/**
 * A test helper: encodes RV64IMAC instructions as 32-bit words (and a few 16-bit compressed ones), written
 * independently of the main decoder from the ISA manual's encoding tables. Register arguments are numbers
 * 0..31; immediates are checked only by truncation, so tests choose valid values.
 */
public final class Assembler {
    public static final int ZERO = 0;
    public static final int RA = 1;
    public static final int SP = 2;
    public static final int T0 = 5;
    public static final int T1 = 6;
    public static final int T2 = 7;
    public static final int S0 = 8;
    public static final int S1 = 9;
    public static final int A0 = 10;
    public static final int A1 = 11;
    public static final int A2 = 12;
    public static final int A3 = 13;
    public static final int A4 = 14;
    public static final int A5 = 15;
    public static final int S2 = 18;
    public static final int T3 = 28;
    public static final int T4 = 29;

    private Assembler() {
    }

    public static int rType(int opcode, int funct3, int funct7, int rd, int rs1, int rs2) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    public static int iType(int opcode, int funct3, int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    public static int sType(int funct3, int rs1, int rs2, int imm) {
        return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1f) << 7 | 0x23;
    }

    public static int bType(int funct3, int rs1, int rs2, int offset) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
                | ((offset >> 1) & 0xf) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    public static int lui(int rd, int upper20) {
        return upper20 << 12 | rd << 7 | 0x37;
    }

    public static int auipc(int rd, int upper20) {
        return upper20 << 12 | rd << 7 | 0x17;
    }

    public static int jal(int rd, int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3ff) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    public static int jalr(int rd, int rs1, int imm) {
        return iType(0x67, 0, rd, rs1, imm);
    }

    public static int beq(int rs1, int rs2, int offset) {
        return bType(0, rs1, rs2, offset);
    }

    public static int bne(int rs1, int rs2, int offset) {
        return bType(1, rs1, rs2, offset);
    }

    public static int blt(int rs1, int rs2, int offset) {
        return bType(4, rs1, rs2, offset);
    }

    public static int bge(int rs1, int rs2, int offset) {
        return bType(5, rs1, rs2, offset);
    }

    public static int bltu(int rs1, int rs2, int offset) {
        return bType(6, rs1, rs2, offset);
    }

    public static int bgeu(int rs1, int rs2, int offset) {
        return bType(7, rs1, rs2, offset);
    }

    public static int load(int funct3, int rd, int rs1, int imm) {
        return iType(0x03, funct3, rd, rs1, imm);
    }

    public static int lb(int rd, int rs1, int imm) {
        return load(0, rd, rs1, imm);
    }

    public static int lh(int rd, int rs1, int imm) {
        return load(1, rd, rs1, imm);
    }

    public static int lw(int rd, int rs1, int imm) {
        return load(2, rd, rs1, imm);
    }

    public static int ld(int rd, int rs1, int imm) {
        return load(3, rd, rs1, imm);
    }

    public static int lbu(int rd, int rs1, int imm) {
        return load(4, rd, rs1, imm);
    }

    public static int lhu(int rd, int rs1, int imm) {
        return load(5, rd, rs1, imm);
    }

    public static int lwu(int rd, int rs1, int imm) {
        return load(6, rd, rs1, imm);
    }

    public static int sb(int rs2, int rs1, int imm) {
        return sType(0, rs1, rs2, imm);
    }

    public static int sh(int rs2, int rs1, int imm) {
        return sType(1, rs1, rs2, imm);
    }

    public static int sw(int rs2, int rs1, int imm) {
        return sType(2, rs1, rs2, imm);
    }

    public static int sd(int rs2, int rs1, int imm) {
        return sType(3, rs1, rs2, imm);
    }

    public static int addi(int rd, int rs1, int imm) {
        return iType(0x13, 0, rd, rs1, imm);
    }

    public static int slti(int rd, int rs1, int imm) {
        return iType(0x13, 2, rd, rs1, imm);
    }

    public static int sltiu(int rd, int rs1, int imm) {
        return iType(0x13, 3, rd, rs1, imm);
    }

    public static int xori(int rd, int rs1, int imm) {
        return iType(0x13, 4, rd, rs1, imm);
    }

    public static int ori(int rd, int rs1, int imm) {
        return iType(0x13, 6, rd, rs1, imm);
    }

    public static int andi(int rd, int rs1, int imm) {
        return iType(0x13, 7, rd, rs1, imm);
    }

    public static int slli(int rd, int rs1, int shamt) {
        return iType(0x13, 1, rd, rs1, shamt);
    }

    public static int srli(int rd, int rs1, int shamt) {
        return iType(0x13, 5, rd, rs1, shamt);
    }

    public static int srai(int rd, int rs1, int shamt) {
        return iType(0x13, 5, rd, rs1, 0x400 | shamt);
    }

    public static int addiw(int rd, int rs1, int imm) {
        return iType(0x1b, 0, rd, rs1, imm);
    }

    public static int op(int funct3, int funct7, int rd, int rs1, int rs2) {
        return rType(0x33, funct3, funct7, rd, rs1, rs2);
    }

    public static int op32(int funct3, int funct7, int rd, int rs1, int rs2) {
        return rType(0x3b, funct3, funct7, rd, rs1, rs2);
    }

    public static int add(int rd, int rs1, int rs2) {
        return op(0, 0, rd, rs1, rs2);
    }

    public static int sub(int rd, int rs1, int rs2) {
        return op(0, 0x20, rd, rs1, rs2);
    }

    public static int xor(int rd, int rs1, int rs2) {
        return op(4, 0, rd, rs1, rs2);
    }

    public static int or(int rd, int rs1, int rs2) {
        return op(6, 0, rd, rs1, rs2);
    }

    public static int and(int rd, int rs1, int rs2) {
        return op(7, 0, rd, rs1, rs2);
    }

    public static int mul(int rd, int rs1, int rs2) {
        return op(0, 1, rd, rs1, rs2);
    }

    public static int div(int rd, int rs1, int rs2) {
        return op(4, 1, rd, rs1, rs2);
    }

    public static int remu(int rd, int rs1, int rs2) {
        return op(7, 1, rd, rs1, rs2);
    }

    public static int csr(int funct3, int rd, int csr, int rs1) {
        return csr << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x73;
    }

    public static int csrrw(int rd, int csr, int rs1) {
        return csr(1, rd, csr, rs1);
    }

    public static int csrrs(int rd, int csr, int rs1) {
        return csr(2, rd, csr, rs1);
    }

    public static int csrrc(int rd, int csr, int rs1) {
        return csr(3, rd, csr, rs1);
    }

    public static int csrrwi(int rd, int csr, int uimm) {
        return csr(5, rd, csr, uimm);
    }

    public static int csrrsi(int rd, int csr, int uimm) {
        return csr(6, rd, csr, uimm);
    }

    public static int ecall() {
        return 0x00000073;
    }

    public static int ebreak() {
        return 0x00100073;
    }

    public static int mret() {
        return 0x30200073;
    }

    public static int sret() {
        return 0x10200073;
    }

    public static int wfi() {
        return 0x10500073;
    }

    public static int sfenceVma(int rs1, int rs2) {
        return rType(0x73, 0, 0x09, 0, rs1, rs2);
    }

    public static int fenceI() {
        return 0x0000100f;
    }

    /** The custom-0 opcode with a payload in bits 31..7 (fullvirt's callout opcode, as a guest might run it). */
    public static int custom0(int payload) {
        return payload << 7 | 0x0b;
    }

    /**
     * Encodes an A-extension instruction.
     *
     * @param funct5 operation (0x02 LR, 0x03 SC, 0x00 AMOADD, 0x01 AMOSWAP, ...)
     * @param doubleword true for .D, false for .W
     * @param rd destination
     * @param rs1 address
     * @param rs2 source
     * @return the word
     */
    public static int amo(int funct5, boolean doubleword, int rd, int rs1, int rs2) {
        return rType(0x2f, doubleword ? 3 : 2, funct5 << 2, rd, rs1, rs2);
    }

    /** Packs two 16-bit compressed instructions into one word (first in the low half). */
    public static int compressedPair(int first, int second) {
        return (first & 0xffff) | second << 16;
    }

    /** C.ADDI rd, imm (imm in -32..31). */
    public static int cAddi(int rd, int imm) {
        return ((imm >> 5) & 1) << 12 | rd << 7 | (imm & 0x1f) << 2 | 0x1;
    }

    /** C.LI rd, imm. */
    public static int cLi(int rd, int imm) {
        return 0x4000 | ((imm >> 5) & 1) << 12 | rd << 7 | (imm & 0x1f) << 2 | 0x1;
    }

    /** C.MV rd, rs2. */
    public static int cMv(int rd, int rs2) {
        return 0x8000 | rd << 7 | rs2 << 2 | 0x2;
    }

    /** C.ADD rd, rs2. */
    public static int cAdd(int rd, int rs2) {
        return 0x9000 | rd << 7 | rs2 << 2 | 0x2;
    }

    /** C.BNEZ rs1', offset (rs1 is x8 to x15). */
    public static int cBnez(int rs1, int offset) {
        return 7 << 13 | ((offset >> 8) & 1) << 12 | ((offset >> 3) & 3) << 10 | (rs1 - 8) << 7
                | ((offset >> 6) & 3) << 5 | ((offset >> 1) & 3) << 3 | ((offset >> 5) & 1) << 2 | 1;
    }

    /** C.SW rs2', offset(rs1'): registers x8 to x15, offset a multiple of 4 below 128. */
    public static int cSw(int rs2, int rs1, int offset) {
        return 0xc000 | ((offset >> 3) & 7) << 10 | (rs1 - 8) << 7 | ((offset >> 2) & 1) << 6
                | ((offset >> 6) & 1) << 5 | (rs2 - 8) << 2;
    }

    /** C.NOP. */
    public static int cNop() {
        return 0x0001;
    }

    /**
     * Loads a 32-bit signed constant: LUI + ADDI (ADDIW-free because the values stay in 32 bits).
     *
     * @param rd destination
     * @param value the constant
     * @return two words
     */
    public static int[] li(int rd, int value) {
        int low = (value << 20) >> 20;
        int high = (value - low) >>> 12;
        return new int[] {lui(rd, high), addi(rd, rd, low)};
    }

    /**
     * Encodes an H-extension virtual-machine load (HLV.B/BU/H/HU/W/WU/D, HLVX.HU/WU).
     *
     * @param sizeLog2 0 byte, 1 halfword, 2 word, 3 doubleword
     * @param variant 0 signed, 1 unsigned, 3 HLVX
     * @param rd destination
     * @param rs1 address
     * @return the word
     */
    public static int hlv(int sizeLog2, int variant, int rd, int rs1) {
        return rType(0x73, 4, 0x30 | sizeLog2 << 1, rd, rs1, variant);
    }

    /** HSV.B/H/W/D: sizeLog2 0..3, stores rs2 at the guest-virtual address in rs1. */
    public static int hsv(int sizeLog2, int rs1, int rs2) {
        return rType(0x73, 4, 0x31 | sizeLog2 << 1, 0, rs1, rs2);
    }

    /** HFENCE.VVMA rs1, rs2. */
    public static int hfenceVvma(int rs1, int rs2) {
        return rType(0x73, 0, 0x11, 0, rs1, rs2);
    }

    /** HFENCE.GVMA rs1, rs2. */
    public static int hfenceGvma(int rs1, int rs2) {
        return rType(0x73, 0, 0x31, 0, rs1, rs2);
    }
}
