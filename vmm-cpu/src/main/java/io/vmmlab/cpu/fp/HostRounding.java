package io.vmmlab.cpu.fp;

/**
 * The conversions' common cases on the host's own floating point: rounding a double to an integral value in four of
 * the five modes ({@link Math#rint}, {@link Math#floor}, {@link Math#ceil}; round-to-nearest-max-magnitude is left
 * to the integer implementation), which the callers then convert if it lies in the target's range, and the test
 * whether an integer converted to a double or a float came out exactly. Java's conversions from integers round to
 * nearest even, once, as the RISC-V conversions do in that mode.
 */
final class HostRounding {
    private static final double TWO_TO_63 = 0x1p63;

    private HostRounding() {
    }

    /**
     * Rounds to an integral value.
     *
     * @param value the operand (NaN and infinities come back as they are: no integer range holds them)
     * @param rm the rounding mode
     * @return the integral value, or NaN for round-to-nearest-max-magnitude (not handled here)
     */
    static double integral(double value, int rm) {
        return switch (rm) {
            case FpRounding.NEAREST_EVEN -> Math.rint(value);
            case FpRounding.TOWARD_ZERO -> value < 0 ? Math.ceil(value) : Math.floor(value);
            case FpRounding.DOWN -> Math.floor(value);
            case FpRounding.UP -> Math.ceil(value);
            default -> Double.NaN;
        };
    }

    /**
     * A conversion to an integer on the host when the value rounded as rm says lies in the target's range
     * [{@code low}, {@code high}): that integral value, with the inexact flag raised when rounding changed the
     * value. Else NaN, for the integer implementation (out of range: invalid; NaN operands; RMM).
     *
     * @param value the operand (a single widened exactly)
     * @param rm the rounding mode
     * @param low the range's lowest value (0 for unsigned targets: a negative operand rounded to -0 is in range)
     * @param high the first value above the range
     * @param status where the inexact flag goes
     * @return the integral value, or NaN
     */
    static double toInteger(double value, int rm, double low, double high, FpStatus status) {
        double t = integral(value, rm);
        if (t >= low && t < high) { // false for NaN
            status.flags |= t != value ? FpFlags.INEXACT : 0;
            return t;
        }
        return Double.NaN;
    }

    /** Tells whether a long converted to a double or float (the value given as a double) kept its value. */
    static boolean exact(long integer, double converted) {
        // 2^63 is where (long) saturates: a long never equals it.
        return converted != TWO_TO_63 && (long) converted == integer;
    }
}
