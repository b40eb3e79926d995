package io.vmmlab.cpu.fp;

/**
 * Division and square root (FDIV, FSQRT) by bit-serial integer algorithms: enough quotient or root bits for the
 * round bit, and a sticky bit from the remainder, so that {@link Rounder} sees the exact value's rounding class.
 */
final class DivideSqrt {
    /** Quotient bits: weights 2^0 down to 2^-62 of the significand ratio, which lies in (1/2, 2). */
    private static final int QUOTIENT_BITS = 63;

    private DivideSqrt() {
    }

    static long divide(FpFormat format, long a, long b, int rm, FpStatus status) {
        if (format.isNan(a) || format.isNan(b)) {
            return SpecialValues.nanResult(format, a, b, status);
        }
        boolean negative = format.isNegative(a) != format.isNegative(b);
        if (format.isInfinite(a)) {
            return format.isInfinite(b) ? SpecialValues.invalid(format, status) : format.infinity(negative);
        }
        if (format.isInfinite(b)) {
            return format.zero(negative);
        }
        if (format.isZero(b)) {
            if (format.isZero(a)) {
                return SpecialValues.invalid(format, status);
            }
            status.flags |= FpFlags.DIVIDE_BY_ZERO;
            return format.infinity(negative);
        }
        if (format.isZero(a)) {
            return format.zero(negative);
        }
        long divisor = format.normalizedSignificand(b);
        long remainder = format.normalizedSignificand(a);
        long quotient = 0;
        for (int i = 0; i < QUOTIENT_BITS; i++) {
            quotient <<= 1;
            if (remainder >= divisor) {
                remainder -= divisor;
                quotient |= 1;
            }
            remainder <<= 1;
        }
        int scale = format.normalizedScale(a) - format.normalizedScale(b) - (QUOTIENT_BITS - 1);
        return Rounder.round(format, negative, scale, remainder != 0 ? quotient | 1 : quotient, rm, status);
    }

    static long sqrt(FpFormat format, long a, int rm, FpStatus status) {
        if (format.isNan(a)) {
            return SpecialValues.nanResult(format, a, a, status);
        }
        if (format.isZero(a)) {
            return a;
        }
        if (format.isNegative(a)) {
            return SpecialValues.invalid(format, status);
        }
        if (format.isInfinite(a)) {
            return a;
        }
        long radicand = format.normalizedSignificand(a);
        int scale = format.normalizedScale(a);
        if ((scale & 1) != 0) {
            radicand <<= 1;
            scale--;
        }
        // The root of radicand * 4^extra has at least precision + 2 bits; its remainder gives the sticky bit.
        int extra = format.precision / 2 + 3;
        long root = 0;
        long remainder = 0;
        int pairs = (64 - Long.numberOfLeadingZeros(radicand) + 1) / 2;
        for (int i = pairs + extra - 1; i >= 0; i--) {
            long pair = i >= extra ? (radicand >>> (2 * (i - extra))) & 3 : 0;
            remainder = (remainder << 2) | pair;
            long trial = (root << 2) | 1;
            if (remainder >= trial) {
                remainder -= trial;
                root = (root << 1) | 1;
            } else {
                root <<= 1;
            }
        }
        return Rounder.round(format, false, scale / 2 - extra, remainder != 0 ? root | 1 : root, rm, status);
    }
}
