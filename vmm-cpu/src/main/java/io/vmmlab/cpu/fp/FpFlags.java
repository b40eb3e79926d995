package io.vmmlab.cpu.fp;

/**
 * The accrued exception flags of {@code fflags} (ISA manual, unprivileged volume, F extension, "Floating-Point
 * Control and Status Register", table "Accrued exception flag encoding").
 */
public final class FpFlags {
    /** NX: the rounded result differs from the exact result. */
    public static final int INEXACT = 1;
    /** UF: the result is tiny (detected after rounding) and inexact. */
    public static final int UNDERFLOW = 2;
    /** OF: the rounded result's exponent exceeds the format's largest exponent. */
    public static final int OVERFLOW = 4;
    /** DZ: a finite nonzero number divided by zero. */
    public static final int DIVIDE_BY_ZERO = 8;
    /** NV: an invalid operation (signaling NaN input, inf - inf, 0 * inf, out-of-range conversion, ...). */
    public static final int INVALID = 16;

    private FpFlags() {
    }
}
