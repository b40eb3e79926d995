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

    /** Tells whether a long converted to a double or float (the value given as a double) kept its value. */
    static boolean exact(long integer, double converted) {
        // 2^63 is where (long) saturates: a long never equals it.
        return converted != TWO_TO_63 && (long) converted == integer;
    }
}
