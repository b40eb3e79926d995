package io.vmmlab.cpu.fp;

import io.vmmlab.cpu.fp.ReferenceRounding.Result;
import io.vmmlab.cpu.fp.TestFormat.Operation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import static io.vmmlab.cpu.fp.ReferenceRounding.exact;
import static io.vmmlab.cpu.fp.ReferenceRounding.round;
import static io.vmmlab.cpu.fp.ReferenceRounding.timesPowerOfTwo;

/**
 * The test oracle for the arithmetic operations: the special cases as the F extension and IEEE 754 state them,
 * and otherwise the exact result (BigDecimal) rounded by {@link ReferenceRounding}. Quotients and roots are
 * computed from the integer significands to 120 digits (an exact ratio or root of them has far fewer); an
 * inexact one is nudged off any representable value or tie, which the true result never comes that close to.
 */
final class ReferenceOperations {
    private static final MathContext DIGITS = new MathContext(120, RoundingMode.DOWN);

    private ReferenceOperations() {
    }

    static Result compute(TestFormat format, Operation operation, long a, long b, long c, int rm) {
        return switch (operation) {
            case ADD -> add(format, a, b, rm);
            case SUB -> add(format, a, b ^ format.signBit(), rm);
            case MUL -> multiply(format, a, b, rm);
            case DIV -> divide(format, a, b, rm);
            case SQRT -> sqrt(format, a, rm);
            case MUL_ADD -> mulAdd(format, a, b, c, rm);
        };
    }

    private static Result add(TestFormat format, long a, long b, int rm) {
        if (format.isNan(a) || format.isNan(b)) {
            return nan(format, format.isSignalingNan(a) || format.isSignalingNan(b));
        }
        double x = format.toDouble(a);
        double y = format.toDouble(b);
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            if (Double.isInfinite(x) && Double.isInfinite(y) && x != y) {
                return nan(format, true);
            }
            return new Result(Double.isInfinite(x) ? a : b, 0);
        }
        return sum(format, exact(format, a).add(exact(format, b)), negative(format, a), negative(format, b), rm);
    }

    private static Result multiply(TestFormat format, long a, long b, int rm) {
        if (format.isNan(a) || format.isNan(b)) {
            return nan(format, format.isSignalingNan(a) || format.isSignalingNan(b));
        }
        boolean negative = negative(format, a) != negative(format, b);
        double x = format.toDouble(a);
        double y = format.toDouble(b);
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            return x == 0 || y == 0 ? nan(format, true) : signed(format, Double.POSITIVE_INFINITY, negative, 0);
        }
        if (x == 0 || y == 0) {
            return signed(format, 0, negative, 0);
        }
        return round(format, exact(format, a).multiply(exact(format, b)), rm);
    }

    private static Result divide(TestFormat format, long a, long b, int rm) {
        if (format.isNan(a) || format.isNan(b)) {
            return nan(format, format.isSignalingNan(a) || format.isSignalingNan(b));
        }
        boolean negative = negative(format, a) != negative(format, b);
        double x = format.toDouble(a);
        double y = format.toDouble(b);
        if (Double.isInfinite(x)) {
            return Double.isInfinite(y) ? nan(format, true) : signed(format, Double.POSITIVE_INFINITY, negative, 0);
        }
        if (Double.isInfinite(y)) {
            return signed(format, 0, negative, 0);
        }
        if (y == 0) {
            return x == 0 ? nan(format, true)
                    : signed(format, Double.POSITIVE_INFINITY, negative, FpFlags.DIVIDE_BY_ZERO);
        }
        if (x == 0) {
            return signed(format, 0, negative, 0);
        }
        // a / b = (ma / mb) * 2^(ka - kb) with integer significands: an exact ratio has few digits.
        BigDecimal dividend = new BigDecimal(integerSignificand(format, x));
        BigDecimal divisor = new BigDecimal(integerSignificand(format, y));
        BigDecimal quotient = dividend.divide(divisor, DIGITS);
        if (quotient.multiply(divisor).compareTo(dividend) != 0) {
            quotient = nudgeAwayFromZero(quotient);
        }
        int scale = scaleOf(format, x) - scaleOf(format, y);
        return round(format, timesPowerOfTwo(negative ? quotient.negate() : quotient, scale), rm);
    }

    private static Result sqrt(TestFormat format, long a, int rm) {
        if (format.isNan(a)) {
            return nan(format, format.isSignalingNan(a));
        }
        double x = format.toDouble(a);
        if (x == 0 || x == Double.POSITIVE_INFINITY) {
            return new Result(a, 0);
        }
        if (x < 0) {
            return nan(format, true);
        }
        // sqrt(m * 2^k) for an even k is sqrt(m) * 2^(k/2).
        int scale = scaleOf(format, x);
        BigDecimal radicand = new BigDecimal(integerSignificand(format, x));
        if ((scale & 1) != 0) {
            radicand = radicand.add(radicand);
            scale--;
        }
        BigDecimal root = radicand.sqrt(DIGITS);
        if (root.multiply(root).compareTo(radicand) > 0) {
            root = root.subtract(root.ulp());
        }
        if (root.multiply(root).compareTo(radicand) != 0) {
            root = nudgeAwayFromZero(root);
        }
        return round(format, timesPowerOfTwo(root, scale / 2), rm);
    }

    /** The power of two that the integer significand of a finite nonzero value is scaled by. */
    private static int scaleOf(TestFormat format, double value) {
        return Math.max(Math.getExponent(value), format.minExponent()) - (format.precision() - 1);
    }

    private static long integerSignificand(TestFormat format, double value) {
        return (long) Math.scalb(Math.abs(value), -scaleOf(format, value));
    }

    private static Result mulAdd(TestFormat format, long a, long b, long c, int rm) {
        boolean signaling = format.isSignalingNan(a) || format.isSignalingNan(b) || format.isSignalingNan(c);
        double x = format.toDouble(a);
        double y = format.toDouble(b);
        double z = format.toDouble(c);
        if ((Double.isInfinite(x) && y == 0) || (x == 0 && Double.isInfinite(y))) {
            return nan(format, true);
        }
        if (Double.isNaN(x) || Double.isNaN(y) || Double.isNaN(z)) {
            return nan(format, signaling);
        }
        boolean negativeProduct = negative(format, a) != negative(format, b);
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            if (Double.isInfinite(z) && negative(format, c) != negativeProduct) {
                return nan(format, true);
            }
            return signed(format, Double.POSITIVE_INFINITY, negativeProduct, 0);
        }
        if (Double.isInfinite(z)) {
            return new Result(c, 0);
        }
        BigDecimal exactSum = exact(format, a).multiply(exact(format, b)).add(exact(format, c));
        return sum(format, exactSum, negativeProduct, negative(format, c), rm);
    }

    /** IEEE 754-2008 §6.3: an exact zero sum is +0 (-0 rounding down) unless both terms are zeros of one sign. */
    private static Result sum(TestFormat format, BigDecimal exactSum, boolean negativeFirst, boolean negativeSecond,
            int rm) {
        if (exactSum.signum() != 0) {
            return round(format, exactSum, rm);
        }
        boolean negative = negativeFirst == negativeSecond ? negativeFirst : rm == FpRounding.DOWN;
        return signed(format, 0, negative, 0);
    }

    private static BigDecimal nudgeAwayFromZero(BigDecimal truncated) {
        BigDecimal halfUlp = truncated.ulp().divide(BigDecimal.valueOf(2));
        return truncated.signum() < 0 ? truncated.subtract(halfUlp) : truncated.add(halfUlp);
    }

    static Result nan(TestFormat format, boolean invalid) {
        return new Result(format.canonicalNan(), invalid ? FpFlags.INVALID : 0);
    }

    private static Result signed(TestFormat format, double magnitude, boolean negative, int flags) {
        return new Result(format.fromDouble(negative ? -magnitude : magnitude), flags);
    }

    static boolean negative(TestFormat format, long bits) {
        return (bits & format.signBit()) != 0;
    }
}
