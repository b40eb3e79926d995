package io.vmmlab.cpu.fp;

/**
 * {@code a * b + c} with a single rounding (FMADD; the hart flips sign bits for FMSUB, FNMSUB and FNMADD). The
 * exact product (at most 106 bits) and the addend are aligned in a 128-bit register with a sticky bit.
 */
final class FusedMultiplyAdd {
    /** Where both terms' leading ones are placed: one bit of headroom for the carry of the sum. */
    private static final int TERM_TOP = 125;

    private FusedMultiplyAdd() {
    }

    static long mulAdd(FpFormat format, long a, long b, long c, int rm, FpStatus status) {
        boolean anyNan = format.isNan(a) || format.isNan(b) || format.isNan(c);
        if (format.isSignalingNan(a) || format.isSignalingNan(b) || format.isSignalingNan(c)) {
            status.flags |= FpFlags.INVALID;
        }
        // F extension: inf * 0 raises invalid even when the addend is a quiet NaN.
        if ((format.isInfinite(a) && format.isZero(b)) || (format.isZero(a) && format.isInfinite(b))) {
            return SpecialValues.invalid(format, status);
        }
        if (anyNan) {
            return format.canonicalNan;
        }
        boolean negativeProduct = format.isNegative(a) != format.isNegative(b);
        boolean negativeAddend = format.isNegative(c);
        if (format.isInfinite(a) || format.isInfinite(b)) {
            if (format.isInfinite(c) && negativeAddend != negativeProduct) {
                return SpecialValues.invalid(format, status);
            }
            return format.infinity(negativeProduct);
        }
        if (format.isInfinite(c)) {
            return c;
        }
        if (format.isZero(a) || format.isZero(b)) {
            if (format.isZero(c) && negativeProduct != negativeAddend) {
                return SpecialValues.exactZeroSum(format, rm);
            }
            return format.isZero(c) ? format.zero(negativeProduct) : c;
        }
        long significandA = format.significand(a);
        long significandB = format.significand(b);
        Wide product = new Wide(Math.multiplyHigh(significandA, significandB), significandA * significandB);
        int productScale = format.scale(a) + format.scale(b);
        if (format.isZero(c)) {
            return Rounder.round128(format, negativeProduct, productScale, product.high, product.low, rm, status);
        }
        int productShift = product.leadingZeros() - (127 - TERM_TOP);
        product.shiftLeft(productShift);
        productScale -= productShift;
        Wide addend = new Wide(0, format.significand(c));
        int addendShift = addend.leadingZeros() - (127 - TERM_TOP);
        addend.shiftLeft(addendShift);
        int addendScale = format.scale(c) - addendShift;
        if (productScale >= addendScale) {
            return sum(format, negativeProduct, product, productScale, negativeAddend, addend, addendScale, rm,
                    status);
        }
        return sum(format, negativeAddend, addend, addendScale, negativeProduct, product, productScale, rm, status);
    }

    /** Adds two aligned-at-the-top terms, the first with the larger or equal scale (see {@link AddMultiply}). */
    private static long sum(FpFormat format, boolean negativeLarge, Wide large, int scale, boolean negativeSmall,
            Wide small, int smallScale, int rm, FpStatus status) {
        small.shiftRightJam(scale - smallScale);
        boolean negative = negativeLarge;
        if (negativeLarge == negativeSmall) {
            large.add(small);
        } else {
            int order = large.compareTo(small);
            if (order == 0) {
                return SpecialValues.exactZeroSum(format, rm);
            }
            if (order < 0) {
                small.subtract(large);
                large = small;
                negative = negativeSmall;
            } else {
                large.subtract(small);
            }
        }
        return Rounder.round128(format, negative, scale, large.high, large.low, rm, status);
    }
}
