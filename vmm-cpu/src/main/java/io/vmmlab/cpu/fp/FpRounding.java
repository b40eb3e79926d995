package io.vmmlab.cpu.fp;

/**
 * The rounding-mode encodings of {@code frm} and of an instruction's {@code rm} field (ISA manual, unprivileged
 * volume, F extension, table "Rounding mode encoding").
 */
public final class FpRounding {
    /** RNE: round to nearest, ties to even. */
    public static final int NEAREST_EVEN = 0;
    /** RTZ: round towards zero. */
    public static final int TOWARD_ZERO = 1;
    /** RDN: round down, towards negative infinity. */
    public static final int DOWN = 2;
    /** RUP: round up, towards positive infinity. */
    public static final int UP = 3;
    /** RMM: round to nearest, ties to max magnitude. */
    public static final int NEAREST_MAX_MAGNITUDE = 4;
    /** DYN: in an instruction's rm field, use {@code frm}; reserved as a value of {@code frm} itself. */
    public static final int DYNAMIC = 7;

    private FpRounding() {
    }

    /**
     * Tells whether a resolved rounding mode is one of the five defined modes; 5 and 6 are reserved, and 7 (DYN)
     * must have been replaced by {@code frm} before an operation is called.
     *
     * @param rm the rounding mode
     * @return whether the operations of this package accept {@code rm}
     */
    public static boolean isValid(int rm) {
        return rm >= NEAREST_EVEN && rm <= NEAREST_MAX_MAGNITUDE;
    }
}
