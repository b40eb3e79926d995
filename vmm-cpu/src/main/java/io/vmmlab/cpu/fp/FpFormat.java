package io.vmmlab.cpu.fp;

/**
 * The layout of an IEEE 754 binary interchange format, with values held as raw bits in a {@code long} (binary32
 * in the low 32 bits, upper bits zero).
 *
 * <p>A finite value is read as {@code significand(bits) * 2^scale(bits)}, an integer significand (with the
 * implicit bit for normal numbers) times a power of two; the arithmetic classes work on that form.
 */
final class FpFormat {
    /** IEEE 754 binary32 (F extension). */
    static final FpFormat BINARY32 = new FpFormat(8, 24);
    /** IEEE 754 binary64 (D extension). */
    static final FpFormat BINARY64 = new FpFormat(11, 53);

    /** Significand bits including the implicit one: 24 or 53. */
    final int precision;
    /** Exponent of the smallest normal number: -126 or -1022. */
    final int minExponent;
    /** Exponent of the largest finite number: 127 or 1023. */
    final int maxExponent;
    /** Scale of a subnormal significand (the exponent of its last bit): -149 or -1074. */
    final int minScale;
    final long signBit;
    final long fractionMask;
    final long exponentFieldMax;
    final long infinity;
    final long largestFinite;
    /** The RISC-V canonical NaN: positive, quiet bit set, other fraction bits clear. */
    final long canonicalNan;
    private final long quietBit;
    private final int bias;

    private FpFormat(int exponentBits, int precision) {
        this.precision = precision;
        this.bias = (1 << (exponentBits - 1)) - 1;
        this.minExponent = 1 - bias;
        this.maxExponent = bias;
        this.minScale = minExponent - (precision - 1);
        this.signBit = 1L << (exponentBits + precision - 1);
        this.fractionMask = (1L << (precision - 1)) - 1;
        this.exponentFieldMax = (1L << exponentBits) - 1;
        this.infinity = exponentFieldMax << (precision - 1);
        this.largestFinite = infinity - 1;
        this.quietBit = 1L << (precision - 2);
        this.canonicalNan = infinity | quietBit;
    }

    long exponentField(long bits) {
        return (bits >>> (precision - 1)) & exponentFieldMax;
    }

    long magnitude(long bits) {
        return bits & (signBit - 1);
    }

    boolean isNegative(long bits) {
        return (bits & signBit) != 0;
    }

    boolean isNan(long bits) {
        return magnitude(bits) > infinity;
    }

    boolean isSignalingNan(long bits) {
        return isNan(bits) && (bits & quietBit) == 0;
    }

    boolean isInfinite(long bits) {
        return magnitude(bits) == infinity;
    }

    boolean isZero(long bits) {
        return magnitude(bits) == 0;
    }

    /** The integer significand of a finite value, with the implicit bit for a normal number. */
    long significand(long bits) {
        long fraction = bits & fractionMask;
        return exponentField(bits) == 0 ? fraction : fraction | (fractionMask + 1);
    }

    /** The power of two the {@linkplain #significand significand} of a finite value is scaled by. */
    int scale(long bits) {
        long field = exponentField(bits);
        return field == 0 ? minScale : (int) field - bias - (precision - 1);
    }

    /** A significand of a finite nonzero value shifted so that its leading one is at bit {@code precision - 1}. */
    long normalizedSignificand(long bits) {
        long significand = significand(bits);
        return significand << (Long.numberOfLeadingZeros(significand) - (64 - precision));
    }

    /** The scale that goes with {@link #normalizedSignificand}. */
    int normalizedScale(long bits) {
        return scale(bits) - (Long.numberOfLeadingZeros(significand(bits)) - (64 - precision));
    }

    long signed(boolean negative, long magnitude) {
        return negative ? magnitude | signBit : magnitude;
    }

    long zero(boolean negative) {
        return signed(negative, 0);
    }

    long infinity(boolean negative) {
        return signed(negative, infinity);
    }

    /**
     * FCLASS (F extension, "Single-Precision Floating-Point Classify Instruction"): exactly one of ten bits.
     */
    int classify(long bits) {
        boolean negative = isNegative(bits);
        long field = exponentField(bits);
        int bit;
        if (isNan(bits)) {
            bit = isSignalingNan(bits) ? 8 : 9;
        } else if (field == exponentFieldMax) {
            bit = negative ? 0 : 7;
        } else if (field != 0) {
            bit = negative ? 1 : 6;
        } else if ((bits & fractionMask) != 0) {
            bit = negative ? 2 : 5;
        } else {
            bit = negative ? 3 : 4;
        }
        return 1 << bit;
    }
}
