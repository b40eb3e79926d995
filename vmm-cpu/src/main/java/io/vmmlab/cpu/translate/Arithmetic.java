package io.vmmlab.cpu.translate;

/**
 * The M extension's multiply-high and division operations as static methods that translated code calls (small
 * enough for HotSpot to inline). Division by zero and overflow follow the ISA manual ("M" chapter, table of
 * division corner cases): x / 0 = -1, x % 0 = x, and MIN / -1 = MIN (Java's wrap-around), MIN % -1 = 0.
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    /** MULHSU: high 64 bits of signed {@code a} times unsigned {@code b}. */
    public static long mulhsu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
    }

    /** MULHU: high 64 bits of unsigned {@code a} times unsigned {@code b}. */
    public static long mulhu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((b >> 63) & a) + ((a >> 63) & b);
    }

    /** DIV. */
    public static long div(long a, long b) {
        return b == 0 ? -1 : a / b;
    }

    /** DIVU. */
    public static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    /** REM. */
    public static long rem(long a, long b) {
        return b == 0 ? a : a % b;
    }

    /** REMU. */
    public static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    /** DIVW (the result sign-extended). */
    public static long divw(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? -1 : (int) a / divisor;
    }

    /** DIVUW. */
    public static long divuw(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? -1 : (int) ((a & 0xffff_ffffL) / (b & 0xffff_ffffL));
    }

    /** REMW. */
    public static long remw(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? (int) a : (int) a % divisor;
    }

    /** REMUW. */
    public static long remuw(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? (int) a : (int) ((a & 0xffff_ffffL) % (b & 0xffff_ffffL));
    }
}
