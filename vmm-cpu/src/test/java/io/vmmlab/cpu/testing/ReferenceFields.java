package io.vmmlab.cpu.testing;

/**
 * The immediates of the 32-bit instruction formats, sign-extended, as the ISA manual draws them: shared by the test
 * reference models ({@link ReferenceModel}, the fuzz campaign's {@code FuzzReference}).
 */
public final class ReferenceFields {
    private ReferenceFields() {
    }

    /** I-type: bits 31:20. */
    public static long immI(int insn) {
        return insn >> 20;
    }

    /** S-type: bits 31:25 and 11:7. */
    public static long immS(int insn) {
        return ((insn >> 25) << 5) | ((insn >> 7) & 31);
    }

    /** B-type: a multiple of two from bits 31, 7, 30:25 and 11:8. */
    public static long immB(int insn) {
        return ((insn >> 31) << 12) | (((insn >> 7) & 1) << 11) | (((insn >> 25) & 63) << 5)
                | (((insn >> 8) & 15) << 1);
    }

    /** J-type: a multiple of two from bits 31, 19:12, 20 and 30:21. */
    public static long immJ(int insn) {
        return ((insn >> 31) << 20) | (insn & 0xff000) | (((insn >> 20) & 1) << 11) | (((insn >> 21) & 0x3ff) << 1);
    }
}
