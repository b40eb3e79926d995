package io.vmmlab.cpu.fp;

/** FCVT.S.D and FCVT.D.S (D extension, "Double-Precision Floating-Point Conversion and Move Instructions"). */
final class FormatConversion {
    private FormatConversion() {
    }

    /**
     * Converts between formats, rounding with {@code rm} when narrowing (widening is exact). A NaN gives the
     * target's canonical NaN, and a signaling NaN raises invalid.
     */
    static long convert(FpFormat from, FpFormat to, long a, int rm, FpStatus status) {
        if (from.isNan(a)) {
            if (from.isSignalingNan(a)) {
                status.flags |= FpFlags.INVALID;
            }
            return to.canonicalNan;
        }
        boolean negative = from.isNegative(a);
        if (from.isInfinite(a)) {
            return to.infinity(negative);
        }
        if (from.isZero(a)) {
            return to.zero(negative);
        }
        return Rounder.round(to, negative, from.scale(a), from.significand(a), rm, status);
    }
}
