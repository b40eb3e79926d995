package io.vmmlab.cpu.trap;

import io.vmmlab.cpu.decode.CompressedExpander;

/**
 * Computes the value the H extension writes to {@code mtinst}/{@code htinst} for a trap raised by an explicit
 * memory access: the "transformed standard instruction" (Privileged spec, H extension, "Transformed Instruction or
 * Pseudoinstruction for mtinst or htinst"). Loads (FLW/FLD too) keep funct3, rd and opcode; stores (FSW/FSD too)
 * keep rs2, funct3 and opcode; atomics and HLV/HLVX/HSV keep every field; in all of them bits 19:15 hold the address
 * offset (faulting address minus the instruction's address, nonzero only for misaligned accesses). A compressed
 * instruction is expanded, transformed, and has bit 1 cleared. Anything else transforms to 0, which the spec always
 * allows.
 */
public final class TransformedInstruction {
    /** htinst for a guest-page fault on a VS-stage page-table read (RV64). */
    public static final long PTE_READ = 0x0000_3000L;
    /** htinst for a guest-page fault on a VS-stage page-table A/D update (RV64). */
    public static final long PTE_WRITE = 0x0000_3020L;

    private static final int LOAD = 0x03;
    private static final int LOAD_FP = 0x07;
    private static final int STORE = 0x23;
    private static final int STORE_FP = 0x27;
    private static final int ATOMIC = 0x2f;
    private static final int SYSTEM = 0x73;
    private static final int RS1 = 0x1f << 15;

    private TransformedInstruction() {
    }

    /**
     * Transforms a trapping instruction.
     *
     * @param bits the instruction (a compressed one in the low 16 bits)
     * @param base the value of its rs1 register when it trapped
     * @param faultAddress the address written to xtval
     * @return the transformed instruction, or 0 when none is defined
     */
    public static long of(int bits, long base, long faultAddress) {
        boolean compressed = (bits & 3) != 3;
        int full = compressed ? CompressedExpander.expand(bits & 0xffff) : bits;
        int opcode = full & 0x7f;
        long original = base;
        int kept;
        switch (opcode) {
            case LOAD, LOAD_FP -> {
                original += full >> 20;
                kept = full & 0x7fff;
            }
            case STORE, STORE_FP -> {
                original += (full >> 25) << 5 | (full >>> 7) & 0x1f;
                kept = full & (0x1f << 20 | 0x7 << 12 | 0x7f);
            }
            case ATOMIC -> kept = full & ~RS1;
            case SYSTEM -> {
                if (((full >>> 12) & 7) != 4) {
                    return 0;
                }
                kept = full & ~RS1;
            }
            default -> {
                return 0;
            }
        }
        long offset = faultAddress - original;
        if (offset < 0 || offset > 31) {
            return 0;
        }
        int transformed = kept | (int) offset << 15;
        return (compressed ? transformed & ~2 : transformed) & 0xffff_ffffL;
    }
}
