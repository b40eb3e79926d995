package io.vmmlab.fullvirt.translate;

import java.util.function.IntConsumer;

/**
 * Encodes the few RV64I instructions the translator emits into the translation cache (ISA manual, "RV32I Base
 * Integer Instruction Set" and "RV64I": U-, I-, B- and J-type formats), and the callout instruction.
 */
final class Rv64Encoder {
    private static final int OP_IMM = 0x13;
    private static final int OP_IMM_32 = 0x1b;
    private static final int LUI = 0x37;
    private static final int JAL = 0x6f;
    private static final int BRANCH = 0x63;

    private Rv64Encoder() {
    }

    /** The callout instruction (custom-0); the hart hands it to the VMM's handler in-line. */
    static int callout() {
        return io.vmmlab.api.cpu.CalloutHandler.OPCODE;
    }

    /** JAL with a byte offset in ±1 MiB. */
    static int jal(int rd, long offset) {
        int imm = (int) offset;
        return ((imm >>> 20) & 1) << 31 | ((imm >>> 1) & 0x3ff) << 21 | ((imm >>> 11) & 1) << 20
                | ((imm >>> 12) & 0xff) << 12 | rd << 7 | JAL;
    }

    /** Tells whether a JAL can reach a byte offset. */
    static boolean jalReaches(long offset) {
        return offset >= -(1L << 20) && offset < (1L << 20) && (offset & 1) == 0;
    }

    /** A conditional branch (funct3 as in the guest's branch) to pc + 8. */
    static int branchSkipOne(int funct3, int rs1, int rs2) {
        return rs2 << 20 | rs1 << 15 | funct3 << 12 | 4 << 8 | BRANCH;
    }

    static int addi(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | OP_IMM;
    }

    static int addiw(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | OP_IMM_32;
    }

    static int slli(int rd, int rs1, int shift) {
        return (shift & 0x3f) << 20 | rs1 << 15 | 1 << 12 | rd << 7 | OP_IMM;
    }

    static int lui(int rd, int imm20) {
        return (imm20 & 0xfffff) << 12 | rd << 7 | LUI;
    }

    /**
     * Emits the shortest LUI/ADDI(W)/SLLI sequence this class knows that sets {@code rd} to a 64-bit constant,
     * using no register but {@code rd} (so the sequence can be restarted from its first instruction).
     *
     * @param rd destination, 1 to 31
     * @param value the constant
     * @param emit receives each instruction
     */
    static void loadConstant(int rd, long value, IntConsumer emit) {
        long low = value << 52 >> 52;
        if (value == (int) value) {
            int high = (int) ((value - low) >>> 12) & 0xfffff;
            if (high == 0) {
                emit.accept(addi(rd, 0, (int) low));
                return;
            }
            emit.accept(lui(rd, high));
            if (low != 0) {
                emit.accept(addiw(rd, rd, (int) low));
            }
            return;
        }
        long high = (value - low) >> 12;
        int shift = 12 + Long.numberOfTrailingZeros(high);
        high = (value - low) >> shift;
        loadConstant(rd, high, emit);
        emit.accept(slli(rd, rd, shift));
        if (low != 0) {
            emit.accept(addi(rd, rd, (int) low));
        }
    }
}
