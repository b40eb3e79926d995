package io.vmmlab.cpu.fp;

/**
 * FEQ, FLT, FLE, FMIN and FMAX (F extension, "Single-Precision Floating-Point Compare Instructions" and the
 * version 2.2 minimumNumber/maximumNumber rules).
 */
final class Comparison {
    private Comparison() {
    }

    /** Quiet equality: invalid only for a signaling NaN operand; +0 equals -0. */
    static boolean equal(FpFormat format, long a, long b, FpStatus status) {
        if (format.isNan(a) || format.isNan(b)) {
            SpecialValues.nanResult(format, a, b, status);
            return false;
        }
        return orderKey(format, a) == orderKey(format, b);
    }

    /** Signaling less-than: invalid for any NaN operand. */
    static boolean less(FpFormat format, long a, long b, FpStatus status) {
        if (unordered(format, a, b, status)) {
            return false;
        }
        return orderKey(format, a) < orderKey(format, b);
    }

    /** Signaling less-or-equal: invalid for any NaN operand. */
    static boolean lessOrEqual(FpFormat format, long a, long b, FpStatus status) {
        if (unordered(format, a, b, status)) {
            return false;
        }
        return orderKey(format, a) <= orderKey(format, b);
    }

    static long min(FpFormat format, long a, long b, FpStatus status) {
        long number = numberOperand(format, a, b, status);
        if (number != -1) {
            return number;
        }
        return zeroOrderedKey(format, a) <= zeroOrderedKey(format, b) ? a : b;
    }

    static long max(FpFormat format, long a, long b, FpStatus status) {
        long number = numberOperand(format, a, b, status);
        if (number != -1) {
            return number;
        }
        return zeroOrderedKey(format, a) >= zeroOrderedKey(format, b) ? a : b;
    }

    /**
     * The NaN rules of FMIN/FMAX: a signaling NaN raises invalid; one NaN gives the other operand, two give the
     * canonical NaN. Returns -1 when neither is NaN: that pattern is a NaN (or no binary32 at all), never a
     * result of this method.
     */
    private static long numberOperand(FpFormat format, long a, long b, FpStatus status) {
        if (format.isSignalingNan(a) || format.isSignalingNan(b)) {
            status.flags |= FpFlags.INVALID;
        }
        boolean nanA = format.isNan(a);
        boolean nanB = format.isNan(b);
        if (nanA && nanB) {
            return format.canonicalNan;
        }
        if (nanA) {
            return b;
        }
        return nanB ? a : -1;
    }

    private static boolean unordered(FpFormat format, long a, long b, FpStatus status) {
        if (format.isNan(a) || format.isNan(b)) {
            status.flags |= FpFlags.INVALID;
            return true;
        }
        return false;
    }

    /** A signed integer with the order of the (non-NaN) values, where -0 and +0 are equal. */
    private static long orderKey(FpFormat format, long bits) {
        long magnitude = format.magnitude(bits);
        return format.isNegative(bits) ? -magnitude : magnitude;
    }

    /** Like {@link #orderKey}, but -0 is below +0, as FMIN and FMAX require. */
    private static long zeroOrderedKey(FpFormat format, long bits) {
        long magnitude = format.magnitude(bits);
        return format.isNegative(bits) ? -magnitude - 1 : magnitude;
    }
}
