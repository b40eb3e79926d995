package io.vmmlab.cpu.fp;

import static io.vmmlab.cpu.fp.FpFormat.BINARY32;

/**
 * IEEE 754 binary32 arithmetic for the F extension, on raw bits held in an {@code int}. Operations that round
 * take a resolved rounding mode ({@link FpRounding#isValid}); every operation ORs its {@link FpFlags} into the
 * given {@link FpStatus}. Every NaN result is {@link #CANONICAL_NAN}. NaN-boxing is the caller's concern.
 */
public final class Binary32 {
    /** The RISC-V canonical NaN of binary32. */
    public static final int CANONICAL_NAN = 0x7fc00000;

    private Binary32() {
    }

    /** FADD.S. */
    public static int add(int a, int b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.add(Float.intBitsToFloat(a), Float.intBitsToFloat(b), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) AddMultiply.add(BINARY32, bits(a), bits(b), rm, st);
    }

    /** FSUB.S: a - b. */
    public static int sub(int a, int b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.add(Float.intBitsToFloat(a), -Float.intBitsToFloat(b), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) AddMultiply.subtract(BINARY32, bits(a), bits(b), rm, st);
    }

    /** FMUL.S. */
    public static int mul(int a, int b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.multiply(Float.intBitsToFloat(a), Float.intBitsToFloat(b), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) AddMultiply.multiply(BINARY32, bits(a), bits(b), rm, st);
    }

    /** FDIV.S: a / b. */
    public static int div(int a, int b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.divide(Float.intBitsToFloat(a), Float.intBitsToFloat(b), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) DivideSqrt.divide(BINARY32, bits(a), bits(b), rm, st);
    }

    /** FSQRT.S. */
    public static int sqrt(int a, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.sqrt(Float.intBitsToFloat(a), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) DivideSqrt.sqrt(BINARY32, bits(a), rm, st);
    }

    /** FMADD.S: a * b + c with one rounding; inf * 0 raises invalid even when c is a quiet NaN. */
    public static int mulAdd(int a, int b, int c, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            float r = NearestEven.fusedMultiplyAdd(Float.intBitsToFloat(a), Float.intBitsToFloat(b),
                    Float.intBitsToFloat(c), st);
            if (r == r) {
                return Float.floatToRawIntBits(r);
            }
        }
        return (int) FusedMultiplyAdd.mulAdd(BINARY32, bits(a), bits(b), bits(c), rm, st);
    }

    /** FMIN.S (minimumNumber): -0 is below +0; one NaN gives the other operand. */
    public static int min(int a, int b, FpStatus st) {
        return (int) Comparison.min(BINARY32, bits(a), bits(b), st);
    }

    /** FMAX.S (maximumNumber): +0 is above -0; one NaN gives the other operand. */
    public static int max(int a, int b, FpStatus st) {
        return (int) Comparison.max(BINARY32, bits(a), bits(b), st);
    }

    /** FEQ.S, a quiet comparison. */
    public static boolean eq(int a, int b, FpStatus st) {
        return Comparison.equal(BINARY32, bits(a), bits(b), st);
    }

    /** FLT.S, a signaling comparison. */
    public static boolean lt(int a, int b, FpStatus st) {
        return Comparison.less(BINARY32, bits(a), bits(b), st);
    }

    /** FLE.S, a signaling comparison. */
    public static boolean le(int a, int b, FpStatus st) {
        return Comparison.lessOrEqual(BINARY32, bits(a), bits(b), st);
    }

    /** FCLASS.S: the 10-bit class mask. */
    public static int classify(int a) {
        return BINARY32.classify(bits(a));
    }

    /** FCVT.W.S: the 32-bit result sign-extended. */
    public static long toInt32(int a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Float.intBitsToFloat(a), rm, -0x1p31, 0x1p31, st);
        if (t == t) {
            return (int) t;
        }
        return IntegerConversion.toSigned(BINARY32, bits(a), rm, st, 32);
    }

    /** FCVT.WU.S: the 32-bit result sign-extended, as RV64 writes it. */
    public static long toUint32(int a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Float.intBitsToFloat(a), rm, 0, 0x1p32, st);
        if (t == t) {
            return (int) (long) t;
        }
        return (int) IntegerConversion.toUnsigned(BINARY32, bits(a), rm, st, 32);
    }

    /** FCVT.L.S. */
    public static long toInt64(int a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Float.intBitsToFloat(a), rm, -0x1p63, 0x1p63, st);
        if (t == t) {
            return (long) t;
        }
        return IntegerConversion.toSigned(BINARY32, bits(a), rm, st, 64);
    }

    /** FCVT.LU.S. */
    public static long toUint64(int a, int rm, FpStatus st) {
        // The upper half of the range is left to the integer implementation.
        double t = HostRounding.toInteger(Float.intBitsToFloat(a), rm, 0, 0x1p63, st);
        if (t == t) {
            return (long) t;
        }
        return IntegerConversion.toUnsigned(BINARY32, bits(a), rm, st, 64);
    }

    /** FCVT.S.W. */
    public static int fromInt32(int v, int rm, FpStatus st) {
        return fromInt64(v, rm, st);
    }

    /** FCVT.S.WU. */
    public static int fromUint32(int v, int rm, FpStatus st) {
        return fromInt64(Integer.toUnsignedLong(v), rm, st);
    }

    /** FCVT.S.L. */
    public static int fromInt64(long v, int rm, FpStatus st) {
        float r = v; // rounds to nearest even, once
        boolean exact = HostRounding.exact(v, r);
        if (exact || rm == FpRounding.NEAREST_EVEN) {
            st.flags |= exact ? 0 : FpFlags.INEXACT;
            return Float.floatToRawIntBits(r);
        }
        return (int) IntegerConversion.fromSigned(BINARY32, v, rm, st);
    }

    /** FCVT.S.LU. */
    public static int fromUint64(long v, int rm, FpStatus st) {
        if (v >= 0) {
            return fromInt64(v, rm, st);
        }
        return (int) IntegerConversion.fromUnsigned(BINARY32, v, rm, st);
    }

    private static long bits(int value) {
        return Integer.toUnsignedLong(value);
    }
}
