package io.vmmlab.cpu.fp;

/**
 * Addition and multiplication (FADD, FSUB, FMUL), on integer significands with a sticky bit, rounded once by
 * {@link Rounder}.
 */
final class AddMultiply {
    /** Where both addends' leading ones are placed: one bit of headroom for the carry of a sum below bit 63. */
    private static final int ADDEND_TOP = 61;

    private AddMultiply() {
    }

    static long add(FpFormat format, long a, long b, int rm, FpStatus status) {
        if (format.isNan(a) || format.isNan(b)) {
            return SpecialValues.nanResult(format, a, b, status);
        }
        boolean negativeA = format.isNegative(a);
        boolean negativeB = format.isNegative(b);
        if (format.isInfinite(a)) {
            if (format.isInfinite(b) && negativeA != negativeB) {
                return SpecialValues.invalid(format, status);
            }
            return a;
        }
        if (format.isInfinite(b)) {
            return b;
        }
        if (format.isZero(a) || format.isZero(b)) {
            if (!format.isZero(b)) {
                return b;
            }
            if (!format.isZero(a) || negativeA == negativeB) {
                return a;
            }
            return SpecialValues.exactZeroSum(format, rm);
        }
        int shiftA = ADDEND_TOP - (format.precision - 1);
        long significandA = format.normalizedSignificand(a) << shiftA;
        int scaleA = format.normalizedScale(a) - shiftA;
        long significandB = format.normalizedSignificand(b) << shiftA;
        int scaleB = format.normalizedScale(b) - shiftA;
        if (scaleA < scaleB) {
            return addAligned(format, negativeB, significandB, scaleB, negativeA, significandA, scaleA, rm, status);
        }
        return addAligned(format, negativeA, significandA, scaleA, negativeB, significandB, scaleB, rm, status);
    }

    static long subtract(FpFormat format, long a, long b, int rm, FpStatus status) {
        // a - b is a + (-b) in every case, NaNs included: the result of a NaN operand is canonical anyway.
        return add(format, a, b ^ format.signBit, rm, status);
    }

    static long multiply(FpFormat format, long a, long b, int rm, FpStatus status) {
        if (format.isNan(a) || format.isNan(b)) {
            return SpecialValues.nanResult(format, a, b, status);
        }
        boolean negative = format.isNegative(a) != format.isNegative(b);
        if (format.isInfinite(a) || format.isInfinite(b)) {
            if (format.isZero(a) || format.isZero(b)) {
                return SpecialValues.invalid(format, status);
            }
            return format.infinity(negative);
        }
        if (format.isZero(a) || format.isZero(b)) {
            return format.zero(negative);
        }
        long significandA = format.significand(a);
        long significandB = format.significand(b);
        return Rounder.round128(format, negative, format.scale(a) + format.scale(b),
                Math.multiplyHigh(significandA, significandB), significandA * significandB, rm, status);
    }

    /**
     * Adds two nonzero finite values whose significands have their leading one at bit 61, the first with the
     * larger or equal scale. The smaller one is shifted right with a sticky bit: the larger keeps zeros in its low
     * bits, so a difference still rounds correctly.
     */
    private static long addAligned(FpFormat format, boolean negativeLarge, long large, int scale,
            boolean negativeSmall, long small, int smallScale, int rm, FpStatus status) {
        int distance = scale - smallScale;
        long aligned;
        if (distance >= 63) {
            aligned = 1;
        } else {
            aligned = small >>> distance;
            if ((aligned << distance) != small) {
                aligned |= 1;
            }
        }
        if (negativeLarge == negativeSmall) {
            return Rounder.round(format, negativeLarge, scale, large + aligned, rm, status);
        }
        if (large == aligned) {
            return SpecialValues.exactZeroSum(format, rm);
        }
        if (Long.compareUnsigned(large, aligned) > 0) {
            return Rounder.round(format, negativeLarge, scale, large - aligned, rm, status);
        }
        return Rounder.round(format, negativeSmall, scale, aligned - large, rm, status);
    }
}
