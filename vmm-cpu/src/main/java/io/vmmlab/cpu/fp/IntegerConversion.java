package io.vmmlab.cpu.fp;

/**
 * FCVT between floating-point values and 32/64-bit integers (F extension, "Single-Precision Floating-Point
 * Conversion and Move Instructions", table "Domains of float-to-integer conversions and behavior for invalid
 * inputs").
 *
 * <p>A value whose rounded result does not fit raises invalid and saturates: NaN and +inf to the largest value,
 * -inf to the smallest. Inexact is raised only when rounding changed the value and invalid was not raised.
 */
final class IntegerConversion {
    private IntegerConversion() {
    }

    /** Converts to a signed integer of {@code width} (32 or 64) bits, returned sign-extended. */
    static long toSigned(FpFormat format, long a, int rm, FpStatus status, int width) {
        long max = width == 32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        long min = ~max;
        if (format.isNan(a)) {
            status.flags |= FpFlags.INVALID;
            return max;
        }
        boolean negative = format.isNegative(a);
        if (!fitsIn64Bits(format, a)) {
            status.flags |= FpFlags.INVALID;
            return negative ? min : max;
        }
        long magnitude = roundedMagnitude(format, a, negative, rm);
        // -min is 2^31, or 2^63 when read unsigned.
        long limit = negative ? -min : max;
        if (Long.compareUnsigned(magnitude, limit) > 0) {
            status.flags |= FpFlags.INVALID;
            return negative ? min : max;
        }
        raiseInexact(format, a, status);
        return negative ? -magnitude : magnitude;
    }

    /** Converts to an unsigned integer of {@code width} (32 or 64) bits, returned zero-extended. */
    static long toUnsigned(FpFormat format, long a, int rm, FpStatus status, int width) {
        long max = width == 32 ? 0xffff_ffffL : -1L;
        if (format.isNan(a)) {
            status.flags |= FpFlags.INVALID;
            return max;
        }
        boolean negative = format.isNegative(a);
        if (!fitsIn64Bits(format, a)) {
            status.flags |= FpFlags.INVALID;
            return negative ? 0 : max;
        }
        long magnitude = roundedMagnitude(format, a, negative, rm);
        boolean inRange = negative ? magnitude == 0 : Long.compareUnsigned(magnitude, max) <= 0;
        if (!inRange) {
            status.flags |= FpFlags.INVALID;
            return negative ? 0 : max;
        }
        raiseInexact(format, a, status);
        return magnitude;
    }

    /** Converts a signed 64-bit integer. */
    static long fromSigned(FpFormat format, long value, int rm, FpStatus status) {
        // For Long.MIN_VALUE, -value is 2^63 read unsigned.
        return fromMagnitude(format, value < 0, value < 0 ? -value : value, rm, status);
    }

    /** Converts an unsigned 64-bit integer. */
    static long fromUnsigned(FpFormat format, long value, int rm, FpStatus status) {
        return fromMagnitude(format, false, value, rm, status);
    }

    private static long fromMagnitude(FpFormat format, boolean negative, long magnitude, int rm, FpStatus status) {
        if (magnitude == 0) {
            return format.zero(false);
        }
        if (magnitude < 0) {
            // Bit 63 set: halve with a sticky bit; 63 significant bits remain, far more than the precision.
            return Rounder.round(format, negative, 1, (magnitude >>> 1) | (magnitude & 1), rm, status);
        }
        return Rounder.round(format, negative, 0, magnitude, rm, status);
    }

    /** Whether a value is finite with magnitude below 2^64, so that its rounded magnitude fits in a long. */
    private static boolean fitsIn64Bits(FpFormat format, long a) {
        if (format.isInfinite(a)) {
            return false;
        }
        if (format.isZero(a)) {
            return true;
        }
        return format.normalizedScale(a) + format.precision - 1 < 64;
    }

    /**
     * |a| rounded to an integer, as an unsigned long. Values of 2^precision and more are integers already, so the
     * rounding never carries past 2^64.
     */
    private static long roundedMagnitude(FpFormat format, long a, boolean negative, int rm) {
        long significand = format.significand(a);
        int scale = format.scale(a);
        if (scale >= 0) {
            return significand << scale;
        }
        int drop = -scale;
        if (drop >= 63) {
            // |a| < 2^(precision - 63) < 1/2: zero, or one when rounding away from zero.
            return Rounder.roundsUp(0, significand, Long.MIN_VALUE, negative, rm) ? 1 : 0;
        }
        long kept = significand >>> drop;
        long remainder = significand & ((1L << drop) - 1);
        return Rounder.roundsUp(kept, remainder, 1L << (drop - 1), negative, rm) ? kept + 1 : kept;
    }

    private static void raiseInexact(FpFormat format, long a, FpStatus status) {
        long significand = format.significand(a);
        int scale = format.scale(a);
        if (significand != 0 && scale < 0 && (scale <= -64 || (significand & ((1L << -scale) - 1)) != 0)) {
            status.flags |= FpFlags.INEXACT;
        }
    }
}
