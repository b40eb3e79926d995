package io.vmmlab.cpu.fp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A test oracle written from IEEE 754 directly and independently of the production rounder: rounds an exact
 * {@link BigDecimal} to a binary format with BigDecimal/BigInteger arithmetic, and reports the flags.
 */
final class ReferenceRounding {
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    private ReferenceRounding() {
    }

    /** A rounded result: the bits (a float's in the low 32 bits) and the flags. */
    record Result(long bits, int flags) {
    }

    /** x * 2^k, exactly. */
    static BigDecimal timesPowerOfTwo(BigDecimal x, int k) {
        if (k >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
        }
        return x.multiply(new BigDecimal(FIVE.pow(-k))).movePointLeft(-k);
    }

    /** The exact value of finite bits of the format. */
    static BigDecimal exact(TestFormat format, long bits) {
        return new BigDecimal(format.toDouble(bits));
    }

    /** The e with 2^e <= x < 2^(e+1), for a positive x. */
    static int floorLog2(BigDecimal x) {
        int estimate = (int) Math.floor(x.unscaledValue().bitLength() - 1 - x.scale() * 3.321928094887362);
        while (timesPowerOfTwo(BigDecimal.ONE, estimate).compareTo(x) > 0) {
            estimate--;
        }
        while (timesPowerOfTwo(BigDecimal.ONE, estimate + 1).compareTo(x) <= 0) {
            estimate++;
        }
        return estimate;
    }

    /** Rounds a nonnegative x to an integer in direction rm, for a value of the given sign. */
    static BigInteger roundToInteger(BigDecimal magnitude, boolean negative, int rm) {
        BigInteger floor = magnitude.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigDecimal fraction = magnitude.subtract(new BigDecimal(floor));
        if (fraction.signum() == 0) {
            return floor;
        }
        int versusHalf = fraction.compareTo(HALF);
        boolean up = switch (rm) {
            case FpRounding.NEAREST_EVEN -> versusHalf > 0 || (versusHalf == 0 && floor.testBit(0));
            case FpRounding.TOWARD_ZERO -> false;
            case FpRounding.DOWN -> negative;
            case FpRounding.UP -> !negative;
            case FpRounding.NEAREST_MAX_MAGNITUDE -> versusHalf >= 0;
            default -> throw new IllegalArgumentException("rm " + rm);
        };
        return up ? floor.add(BigInteger.ONE) : floor;
    }

    /**
     * Rounds a nonzero exact value to the format: quantum 2^(max(e, emin) - p + 1), overflow per direction,
     * tininess after rounding (the value rounded with an unbounded exponent is below 2^emin), underflow = tiny and
     * inexact.
     */
    static Result round(TestFormat format, BigDecimal exact, int rm) {
        if (exact.signum() == 0) {
            throw new IllegalArgumentException("zero has no rounding");
        }
        boolean negative = exact.signum() < 0;
        BigDecimal magnitude = exact.abs();
        int p = format.precision();
        int e = floorLog2(magnitude);
        int unboundedQuantum = e - p + 1;
        BigInteger unbounded = roundToInteger(timesPowerOfTwo(magnitude, -unboundedQuantum), negative, rm);
        boolean tiny = timesPowerOfTwo(new BigDecimal(unbounded), unboundedQuantum)
                .compareTo(timesPowerOfTwo(BigDecimal.ONE, format.minExponent())) < 0;
        int quantum = Math.max(e, format.minExponent()) - p + 1;
        BigDecimal scaled = timesPowerOfTwo(magnitude, -quantum);
        BigInteger significand = roundToInteger(scaled, negative, rm);
        boolean inexact = new BigDecimal(significand).compareTo(scaled) != 0;
        BigDecimal rounded = timesPowerOfTwo(new BigDecimal(significand), quantum);
        if (rounded.compareTo(timesPowerOfTwo(BigDecimal.ONE, format.maxExponent() + 1)) >= 0) {
            boolean toInfinity = rm == FpRounding.NEAREST_EVEN || rm == FpRounding.NEAREST_MAX_MAGNITUDE
                    || (rm == FpRounding.UP && !negative) || (rm == FpRounding.DOWN && negative);
            double value = toInfinity ? Double.POSITIVE_INFINITY : format.largestFinite();
            return new Result(format.fromDouble(negative ? -value : value), FpFlags.OVERFLOW | FpFlags.INEXACT);
        }
        double value = Math.scalb(significand.doubleValue(), quantum);
        int flags = inexact ? FpFlags.INEXACT : 0;
        if (inexact && tiny) {
            flags |= FpFlags.UNDERFLOW;
        }
        return new Result(format.fromDouble(negative ? -value : value), flags);
    }
}
