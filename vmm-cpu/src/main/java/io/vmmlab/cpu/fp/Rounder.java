package io.vmmlab.cpu.fp;

import static io.vmmlab.cpu.fp.FpRounding.DOWN;
import static io.vmmlab.cpu.fp.FpRounding.NEAREST_EVEN;
import static io.vmmlab.cpu.fp.FpRounding.NEAREST_MAX_MAGNITUDE;
import static io.vmmlab.cpu.fp.FpRounding.TOWARD_ZERO;
import static io.vmmlab.cpu.fp.FpRounding.UP;

/**
 * Rounds an exact (or sticky-encoded) nonzero value {@code significand * 2^scale} to a format, raising the IEEE
 * 754 flags (IEEE 754-2008 §4.3 rounding, §7.4 overflow, §7.5 underflow, §7.6 inexact).
 *
 * <p>The significand is an unsigned integer below 2^63. Callers that had to drop low bits fold them into bit 0
 * (a "sticky" bit), which is sound as long as the significand keeps at least {@code precision + 2} significant
 * bits, so that bit 0 lies below the round bit. Tininess is detected after rounding (F extension, "Subnormal
 * Arithmetic"): a result is tiny when, rounded to the format's precision with an unbounded exponent, it is still
 * below the smallest normal number; underflow is raised when the result is tiny and inexact.
 */
final class Rounder {
    private static final int TOP = 62;

    private Rounder() {
    }

    static long round(FpFormat format, boolean negative, int scale, long significand, int rm, FpStatus status) {
        int normalize = Long.numberOfLeadingZeros(significand) - 1;
        long bits = significand << normalize;
        int exponent = scale - normalize + TOP;
        int drop = TOP + 1 - format.precision;
        boolean subnormal = exponent < format.minExponent;
        boolean tiny = false;
        if (subnormal) {
            tiny = exponent < format.minExponent - 1 || !carriesToNextBinade(bits, drop, negative, rm);
            drop += format.minExponent - exponent;
            if (drop > TOP + 1) {
                // Far below half of the smallest subnormal: only the sticky information is left.
                bits = 1;
                drop = TOP + 1;
            }
        }
        long kept = bits >>> drop;
        long remainder = bits & ((1L << drop) - 1);
        if (roundsUp(kept, remainder, 1L << (drop - 1), negative, rm)) {
            kept++;
        }
        if (remainder != 0) {
            status.flags |= tiny ? FpFlags.INEXACT | FpFlags.UNDERFLOW : FpFlags.INEXACT;
        }
        if (subnormal) {
            // A subnormal (or, after rounding up, the smallest normal): its bits are the significand itself.
            return format.signed(negative, kept);
        }
        if (kept == 1L << format.precision) {
            kept >>>= 1;
            exponent++;
        }
        if (exponent > format.maxExponent) {
            return overflow(format, negative, rm, status);
        }
        // kept carries the implicit bit, which adds the missing 1 to the exponent field.
        long field = exponent - format.minExponent;
        return format.signed(negative, (field << (format.precision - 1)) + kept);
    }

    /**
     * Rounds a 128-bit unsigned significand {@code high:low} (nonzero) times 2^scale, first reducing it to 63 bits
     * with a sticky bit.
     */
    static long round128(FpFormat format, boolean negative, int scale, long high, long low, int rm,
            FpStatus status) {
        if (high == 0 && low >= 0) {
            return round(format, negative, scale, low, rm, status);
        }
        int shift = high == 0 ? 1 : 65 - Long.numberOfLeadingZeros(high);
        long significand;
        boolean sticky;
        if (shift < 64) {
            significand = (high << (64 - shift)) | (low >>> shift);
            sticky = (low << (64 - shift)) != 0;
        } else if (shift == 64) {
            significand = high;
            sticky = low != 0;
        } else {
            significand = high >>> 1;
            sticky = low != 0 || (high & 1) != 0;
        }
        return round(format, negative, scale + shift, sticky ? significand | 1 : significand, rm, status);
    }

    /**
     * Decides whether dropping {@code remainder} (below {@code kept}) rounds the magnitude up; {@code half} is the
     * weight of the highest dropped bit. Shared with the float-to-integer conversions.
     */
    static boolean roundsUp(long kept, long remainder, long half, boolean negative, int rm) {
        if (remainder == 0) {
            return false;
        }
        return switch (rm) {
            case NEAREST_EVEN -> Long.compareUnsigned(remainder, half) > 0
                    || (remainder == half && (kept & 1) != 0);
            case TOWARD_ZERO -> false;
            case DOWN -> negative;
            case UP -> !negative;
            case NEAREST_MAX_MAGNITUDE -> Long.compareUnsigned(remainder, half) >= 0;
            default -> throw new IllegalArgumentException("Reserved rounding mode " + rm);
        };
    }

    /** Whether rounding to full precision (unbounded exponent) carries the significand into the next binade. */
    private static boolean carriesToNextBinade(long bits, int drop, boolean negative, int rm) {
        long kept = bits >>> drop;
        return kept == (1L << (TOP + 1 - drop)) - 1
                && roundsUp(kept, bits & ((1L << drop) - 1), 1L << (drop - 1), negative, rm);
    }

    /** IEEE 754-2008 §7.4: the result of an overflow depends on the rounding direction and the sign. */
    static long overflow(FpFormat format, boolean negative, int rm, FpStatus status) {
        status.flags |= FpFlags.OVERFLOW | FpFlags.INEXACT;
        boolean toInfinity = switch (rm) {
            case NEAREST_EVEN, NEAREST_MAX_MAGNITUDE -> true;
            case TOWARD_ZERO -> false;
            case DOWN -> negative;
            case UP -> !negative;
            default -> throw new IllegalArgumentException("Reserved rounding mode " + rm);
        };
        return format.signed(negative, toInfinity ? format.infinity : format.largestFinite);
    }
}
