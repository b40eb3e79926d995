package io.vmmlab.cpu.fp;

/**
 * The common case on the host's own floating point: round-to-nearest-even results that are normal (above the
 * smallest normal number, finite), which Java's float and double arithmetic (IEEE 754, correctly rounded) and
 * {@link Math#fma} give exactly. The only flag such a result can raise is inexact, told by the operation's exact
 * error, which is representable away from the bottom of the exponent range: the rounding error of a sum (TwoSum), of
 * a product ({@code fma(a, b, -r)}), the remainder of a quotient ({@code fma(-r, b, a)}) and of a square root
 * ({@code fma(-r, r, a)}), of a fused multiply-add (see {@link #fusedMultiplyAdd}); for binary32, products of two
 * singles are exact in double precision. Anything else (zero, subnormal, infinite or NaN results, tiny operands)
 * returns NaN, which the callers take as "not handled here" and hand to the integer implementation, so no flag is
 * set then.
 */
final class NearestEven {
    // Below this magnitude an error term might not be representable (double's smallest normal is 2^-1022 and an
    // error is about 2^-53 times its operation's magnitude, products of operands near it smaller still).
    private static final double SAFE = 0x1p-900;
    private static final double NOT_HANDLED = Double.NaN;

    private NearestEven() {
    }

    static double add(double a, double b, FpStatus status) {
        double r = a + b;
        if (!(Math.abs(r) > Double.MIN_NORMAL) || Double.isInfinite(r)) {
            return NOT_HANDLED;
        }
        double bVirtual = r - a;
        double error = (a - (r - bVirtual)) + (b - bVirtual);
        if (error != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static double multiply(double a, double b, FpStatus status) {
        double r = a * b;
        if (!(Math.abs(r) >= SAFE) || Double.isInfinite(r)) {
            return NOT_HANDLED;
        }
        if (Math.fma(a, b, -r) != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static double divide(double a, double b, FpStatus status) {
        double r = a / b;
        if (!(Math.abs(r) >= SAFE) || Double.isInfinite(r) || !(Math.abs(a) >= SAFE)) {
            return NOT_HANDLED;
        }
        if (Math.fma(-r, b, a) != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static double sqrt(double a, FpStatus status) {
        if (!(a >= SAFE) || Double.isInfinite(a)) {
            return NOT_HANDLED;
        }
        double r = Math.sqrt(a);
        if (Math.fma(-r, r, a) != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    /**
     * a * b + c with one rounding ({@link Math#fma}). Exact when a * b equals r - c: both sides as a double and its
     * exact remainder (TwoProduct by {@code fma(a, b, -p)}, TwoSum of r and -c) are the unique pair (RN(v), v -
     * RN(v)) of their value, so the two are equal exactly when both halves are. The product must be well above the
     * bottom of the exponent range (its remainder exact) and finite, the result normal and finite, and TwoSum free of
     * overflow.
     */
    static double fusedMultiplyAdd(double a, double b, double c, FpStatus status) {
        double r = Math.fma(a, b, c);
        double p = a * b;
        if (!(Math.abs(r) > Double.MIN_NORMAL) || Double.isInfinite(r) || !(Math.abs(p) >= SAFE)
                || Double.isInfinite(p)) {
            return NOT_HANDLED;
        }
        double d = r - c;
        if (Double.isInfinite(d)) {
            return NOT_HANDLED;
        }
        double productError = Math.fma(a, b, -p);
        double cVirtual = d - r;
        double differenceError = (r - (d - cVirtual)) + (-c - cVirtual);
        if (!Double.isFinite(differenceError)) {
            return NOT_HANDLED; // TwoSum overflowed inside (r - c near the largest double): not exact
        }
        if (p != d || productError != differenceError) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    /**
     * a * b + c with one rounding, in single precision. The product is exact in double and so is its sum with c as a
     * double and its TwoSum remainder e (no double overflow or underflow from singles). Rounding that double s to
     * single gives the right result unless s is exactly halfway between two singles and e says which way the exact
     * value lies (every such halfway point is a double, so no other one lies between s and the exact value): that
     * rare case is left to the integer implementation. Inexact when e is not zero or s is not a single.
     */
    static float fusedMultiplyAdd(float a, float b, float c, FpStatus status) {
        double p = (double) a * b;
        double s = p + c;
        float r = (float) s;
        if (!(Math.abs(r) > Float.MIN_NORMAL) || Float.isInfinite(r)) {
            return Float.NaN;
        }
        double cVirtual = s - p;
        double error = (p - (s - cVirtual)) + (c - cVirtual);
        double rounded = r;
        if (rounded != s && error != 0) {
            float neighbour = s > rounded ? Math.nextUp(r) : Math.nextDown(r);
            if (s - rounded == neighbour - s) {
                return Float.NaN; // halfway: the remainder decides the direction
            }
        }
        if (rounded != s || error != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static float add(float a, float b, FpStatus status) {
        float r = a + b;
        if (!(Math.abs(r) > Float.MIN_NORMAL) || Float.isInfinite(r)) {
            return Float.NaN;
        }
        float bVirtual = r - a;
        float error = (a - (r - bVirtual)) + (b - bVirtual);
        if (error != 0) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static float multiply(float a, float b, FpStatus status) {
        double exact = (double) a * b; // 48 significant bits at most, and no double overflow or underflow
        float r = (float) exact;
        if (!(Math.abs(r) > Float.MIN_NORMAL) || Float.isInfinite(r)) {
            return Float.NaN;
        }
        if (r != exact) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static float divide(float a, float b, FpStatus status) {
        float r = a / b;
        if (!(Math.abs(r) > Float.MIN_NORMAL) || Float.isInfinite(r) || Float.isInfinite(a)) {
            return Float.NaN;
        }
        if ((double) r * b != a) { // the product of two singles is exact in double
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }

    static float sqrt(float a, FpStatus status) {
        if (!(a > Float.MIN_NORMAL) || Float.isInfinite(a)) {
            return Float.NaN;
        }
        float r = (float) Math.sqrt(a); // rounding twice is harmless for a square root (53 >= 2 * 24 + 2)
        if ((double) r * r != a) {
            status.flags |= FpFlags.INEXACT;
        }
        return r;
    }
}
