package io.vmmlab.cpu.fp;

import static io.vmmlab.cpu.fp.FpFormat.BINARY32;
import static io.vmmlab.cpu.fp.FpFormat.BINARY64;

/**
 * IEEE 754 binary64 arithmetic for the D extension, on raw bits held in a {@code long}. Operations that round
 * take a resolved rounding mode ({@link FpRounding#isValid}); every operation ORs its {@link FpFlags} into the
 * given {@link FpStatus}. Every NaN result is {@link #CANONICAL_NAN}. Round-to-nearest-even add, subtract, multiply,
 * divide and square root with normal results take the host's arithmetic ({@link NearestEven}).
 */
public final class Binary64 {
    /** The RISC-V canonical NaN of binary64. */
    public static final long CANONICAL_NAN = 0x7ff8000000000000L;

    private Binary64() {
    }

    /** FADD.D. */
    public static long add(long a, long b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.add(Double.longBitsToDouble(a), Double.longBitsToDouble(b), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return AddMultiply.add(BINARY64, a, b, rm, st);
    }

    /** FSUB.D: a - b. */
    public static long sub(long a, long b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.add(Double.longBitsToDouble(a), -Double.longBitsToDouble(b), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return AddMultiply.subtract(BINARY64, a, b, rm, st);
    }

    /** FMUL.D. */
    public static long mul(long a, long b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.multiply(Double.longBitsToDouble(a), Double.longBitsToDouble(b), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return AddMultiply.multiply(BINARY64, a, b, rm, st);
    }

    /** FDIV.D: a / b. */
    public static long div(long a, long b, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.divide(Double.longBitsToDouble(a), Double.longBitsToDouble(b), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return DivideSqrt.divide(BINARY64, a, b, rm, st);
    }

    /** FSQRT.D. */
    public static long sqrt(long a, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.sqrt(Double.longBitsToDouble(a), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return DivideSqrt.sqrt(BINARY64, a, rm, st);
    }

    /** FMADD.D: a * b + c with one rounding; inf * 0 raises invalid even when c is a quiet NaN. */
    public static long mulAdd(long a, long b, long c, int rm, FpStatus st) {
        if (rm == FpRounding.NEAREST_EVEN) {
            double r = NearestEven.fusedMultiplyAdd(Double.longBitsToDouble(a), Double.longBitsToDouble(b),
                    Double.longBitsToDouble(c), st);
            if (r == r) {
                return Double.doubleToRawLongBits(r);
            }
        }
        return FusedMultiplyAdd.mulAdd(BINARY64, a, b, c, rm, st);
    }

    /** FMIN.D (minimumNumber): -0 is below +0; one NaN gives the other operand. */
    public static long min(long a, long b, FpStatus st) {
        return Comparison.min(BINARY64, a, b, st);
    }

    /** FMAX.D (maximumNumber): +0 is above -0; one NaN gives the other operand. */
    public static long max(long a, long b, FpStatus st) {
        return Comparison.max(BINARY64, a, b, st);
    }

    /** FEQ.D, a quiet comparison. */
    public static boolean eq(long a, long b, FpStatus st) {
        return Comparison.equal(BINARY64, a, b, st);
    }

    /** FLT.D, a signaling comparison. */
    public static boolean lt(long a, long b, FpStatus st) {
        return Comparison.less(BINARY64, a, b, st);
    }

    /** FLE.D, a signaling comparison. */
    public static boolean le(long a, long b, FpStatus st) {
        return Comparison.lessOrEqual(BINARY64, a, b, st);
    }

    /** FCLASS.D: the 10-bit class mask. */
    public static int classify(long a) {
        return BINARY64.classify(a);
    }

    /** FCVT.W.D: the 32-bit result sign-extended. */
    public static long toInt32(long a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Double.longBitsToDouble(a), rm, -0x1p31, 0x1p31, st);
        if (t == t) {
            return (int) t;
        }
        return IntegerConversion.toSigned(BINARY64, a, rm, st, 32);
    }

    /** FCVT.WU.D: the 32-bit result sign-extended, as RV64 writes it. */
    public static long toUint32(long a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Double.longBitsToDouble(a), rm, 0, 0x1p32, st);
        if (t == t) {
            return (int) (long) t;
        }
        return (int) IntegerConversion.toUnsigned(BINARY64, a, rm, st, 32);
    }

    /** FCVT.L.D. */
    public static long toInt64(long a, int rm, FpStatus st) {
        double t = HostRounding.toInteger(Double.longBitsToDouble(a), rm, -0x1p63, 0x1p63, st);
        if (t == t) {
            return (long) t;
        }
        return IntegerConversion.toSigned(BINARY64, a, rm, st, 64);
    }

    /** FCVT.LU.D. */
    public static long toUint64(long a, int rm, FpStatus st) {
        // The upper half of the range is left to the integer implementation.
        double t = HostRounding.toInteger(Double.longBitsToDouble(a), rm, 0, 0x1p63, st);
        if (t == t) {
            return (long) t;
        }
        return IntegerConversion.toUnsigned(BINARY64, a, rm, st, 64);
    }

    /** FCVT.D.W (always exact). */
    public static long fromInt32(int v, int rm, FpStatus st) {
        return Double.doubleToRawLongBits(v);
    }

    /** FCVT.D.WU (always exact). */
    public static long fromUint32(int v, int rm, FpStatus st) {
        return Double.doubleToRawLongBits(Integer.toUnsignedLong(v));
    }

    /** FCVT.D.L. */
    public static long fromInt64(long v, int rm, FpStatus st) {
        double r = v; // rounds to nearest even
        boolean exact = HostRounding.exact(v, r);
        if (exact || rm == FpRounding.NEAREST_EVEN) {
            st.flags |= exact ? 0 : FpFlags.INEXACT;
            return Double.doubleToRawLongBits(r);
        }
        return IntegerConversion.fromSigned(BINARY64, v, rm, st);
    }

    /** FCVT.D.LU. */
    public static long fromUint64(long v, int rm, FpStatus st) {
        if (v >= 0) { // below 2^63: as a signed value
            return fromInt64(v, rm, st);
        }
        return IntegerConversion.fromUnsigned(BINARY64, v, rm, st);
    }

    /** FCVT.S.D: rounds with {@code rm}. */
    public static int toBinary32(long a, int rm, FpStatus st) {
        double value = Double.longBitsToDouble(a);
        float r = (float) value; // rounds to nearest even
        // A normal, finite result: exact in any mode, or rounded to nearest even (no underflow or overflow then).
        if (Math.abs(r) > Float.MIN_NORMAL && !Float.isInfinite(r) && (rm == FpRounding.NEAREST_EVEN || r == value)) {
            st.flags |= r != value ? FpFlags.INEXACT : 0;
            return Float.floatToRawIntBits(r);
        }
        return (int) FormatConversion.convert(BINARY64, BINARY32, a, rm, st);
    }

    /** FCVT.D.S: exact; a signaling NaN raises invalid. */
    public static long fromBinary32(int a, FpStatus st) {
        float value = Float.intBitsToFloat(a);
        if (value == value) { // exact; NaNs are canonicalized (and a signaling one raises invalid) below
            return Double.doubleToRawLongBits(value);
        }
        return FormatConversion.convert(BINARY32, BINARY64, Integer.toUnsignedLong(a), FpRounding.NEAREST_EVEN, st);
    }
}
