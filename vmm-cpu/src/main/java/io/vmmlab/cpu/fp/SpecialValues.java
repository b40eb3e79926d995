package io.vmmlab.cpu.fp;

/** Results of operations that do not round: NaNs, invalid operations and exact zeros. */
final class SpecialValues {
    private SpecialValues() {
    }

    /**
     * F extension, "NaN Generation and Propagation": a NaN result is the canonical NaN; a signaling NaN operand
     * is an invalid operation (IEEE 754-2008 §7.2).
     */
    static long nanResult(FpFormat format, long a, long b, FpStatus status) {
        if (format.isSignalingNan(a) || format.isSignalingNan(b)) {
            status.flags |= FpFlags.INVALID;
        }
        return format.canonicalNan;
    }

    static long invalid(FpFormat format, FpStatus status) {
        status.flags |= FpFlags.INVALID;
        return format.canonicalNan;
    }

    /**
     * IEEE 754-2008 §6.3: an exact zero sum of operands with opposite signs is +0, or -0 when rounding down.
     */
    static long exactZeroSum(FpFormat format, int rm) {
        return format.zero(rm == FpRounding.DOWN);
    }
}
