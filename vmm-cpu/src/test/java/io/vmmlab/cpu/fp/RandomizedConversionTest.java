package io.vmmlab.cpu.fp;

import io.vmmlab.cpu.fp.ReferenceRounding.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversions against the BigDecimal oracle on biased random operands: float to integer (the F extension's
 * saturation table), integer to float, and binary64 to binary32.
 */
final class RandomizedConversionTest {
    private static final int CASES = 3000;
    private static final BigInteger TWO_TO_32 = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    /** An integer conversion target: width and signedness. */
    enum IntegerType {
        INT32(32, true), UINT32(32, false), INT64(64, true), UINT64(64, false);

        final BigInteger min;
        final BigInteger max;

        IntegerType(int width, boolean signed) {
            BigInteger range = BigInteger.ONE.shiftLeft(signed ? width - 1 : width);
            this.min = signed ? range.negate() : BigInteger.ZERO;
            this.max = range.subtract(BigInteger.ONE);
        }

        long convert(TestFormat format, long bits, int rm, FpStatus status) {
            if (format == TestFormat.BINARY32) {
                int value = (int) bits;
                return switch (this) {
                    case INT32 -> Binary32.toInt32(value, rm, status);
                    case UINT32 -> Binary32.toUint32(value, rm, status);
                    case INT64 -> Binary32.toInt64(value, rm, status);
                    case UINT64 -> Binary32.toUint64(value, rm, status);
                };
            }
            return switch (this) {
                case INT32 -> Binary64.toInt32(bits, rm, status);
                case UINT32 -> Binary64.toUint32(bits, rm, status);
                case INT64 -> Binary64.toInt64(bits, rm, status);
                case UINT64 -> Binary64.toUint64(bits, rm, status);
            };
        }

        /** The value as RV64 writes it to rd: 32-bit results, unsigned ones included, sign-extended. */
        long asRegister(BigInteger value) {
            return this == INT32 || this == UINT32 ? (long) value.intValue() : value.longValue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestFormat.class)
    void floatToIntegerSaturatesAndRounds(TestFormat format) {
        OperandGenerator generator = new OperandGenerator(format, 0xc0de_0001L + format.ordinal());
        Random random = new Random(17 + format.ordinal());
        for (int i = 0; i < CASES; i++) {
            long bits = i % 3 == 0 ? integerLike(format, random) : generator.next();
            for (IntegerType type : IntegerType.values()) {
                for (int rm = 0; rm <= FpRounding.NEAREST_MAX_MAGNITUDE; rm++) {
                    FpStatus status = new FpStatus();
                    long actual = type.convert(format, bits, rm, status);
                    String description = String.format("%s %x to %s rm=%d", format, bits, type, rm);
                    long[] expected = referenceToInteger(format, type, bits, rm);
                    assertThat(actual).as(description).isEqualTo(expected[0]);
                    assertThat(status.flags).as(description + " flags").isEqualTo((int) expected[1]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestFormat.class)
    void integerToFloatRoundsOnce(TestFormat format) {
        OperandGenerator generator = new OperandGenerator(format, 0xc0de_0002L + format.ordinal());
        for (int i = 0; i < CASES; i++) {
            long value = generator.nextLong();
            for (int rm = 0; rm <= FpRounding.NEAREST_MAX_MAGNITUDE; rm++) {
                checkFromInteger(format, "int64", value, new BigDecimal(value), fromInt64(format, value, rm), rm);
                BigDecimal unsigned = new BigDecimal(new BigInteger(Long.toUnsignedString(value)));
                checkFromInteger(format, "uint64", value, unsigned, fromUint64(format, value, rm), rm);
                int narrow = (int) value;
                checkFromInteger(format, "int32", narrow, new BigDecimal(narrow), fromInt32(format, narrow, rm), rm);
                checkFromInteger(format, "uint32", narrow, new BigDecimal(Integer.toUnsignedLong(narrow)),
                        fromUint32(format, narrow, rm), rm);
            }
            assertThat(fromInt64(format, value, FpRounding.NEAREST_EVEN).bits())
                    .isEqualTo(format.fromDouble(format == TestFormat.BINARY32 ? (float) value : (double) value));
        }
    }

    @Test
    void binary64ToBinary32RoundsAndBinary32ToBinary64IsExact() {
        OperandGenerator wide = new OperandGenerator(TestFormat.BINARY64, 0xc0de_0003L);
        OperandGenerator narrow = new OperandGenerator(TestFormat.BINARY32, 0xc0de_0004L);
        Random random = new Random(5);
        for (int i = 0; i < CASES; i++) {
            // Half the operands lie in or near binary32's exponent range, subnormals and overflow included.
            long bits = i % 2 == 0 ? wide.next() : (random.nextLong() & 0x800f_ffff_ffff_ffffL)
                    | (long) (1023 - 160 + random.nextInt(300)) << 52;
            for (int rm = 0; rm <= FpRounding.NEAREST_MAX_MAGNITUDE; rm++) {
                FpStatus status = new FpStatus();
                long actual = Integer.toUnsignedLong(Binary64.toBinary32(bits, rm, status));
                Result expected = referenceNarrowing(bits, rm);
                String description = String.format("f64 %x to f32 rm=%d", bits, rm);
                assertThat(Long.toHexString(actual)).as(description).isEqualTo(Long.toHexString(expected.bits()));
                assertThat(status.flags).as(description + " flags").isEqualTo(expected.flags());
                if (rm == FpRounding.NEAREST_EVEN && !TestFormat.BINARY64.isNan(bits)) {
                    assertThat(actual).as(description + " versus Java")
                            .isEqualTo(TestFormat.BINARY32.fromDouble(Double.longBitsToDouble(bits)));
                }
            }
            int single = (int) narrow.next();
            FpStatus status = new FpStatus();
            long widened = Binary64.fromBinary32(single, status);
            if (TestFormat.BINARY32.isNan(Integer.toUnsignedLong(single))) {
                assertThat(widened).isEqualTo(Binary64.CANONICAL_NAN);
                boolean signaling = TestFormat.BINARY32.isSignalingNan(Integer.toUnsignedLong(single));
                assertThat(status.flags).isEqualTo(signaling ? FpFlags.INVALID : 0);
            } else {
                assertThat(widened).isEqualTo(Double.doubleToRawLongBits(Float.intBitsToFloat(single)));
                assertThat(status.flags).isZero();
            }
        }
    }

    private static long[] referenceToInteger(TestFormat format, IntegerType type, long bits, int rm) {
        BigInteger maxAsResult = type.max;
        if (format.isNan(bits)) {
            return new long[] {type.asRegister(maxAsResult), FpFlags.INVALID};
        }
        double value = format.toDouble(bits);
        boolean negative = ReferenceOperations.negative(format, bits);
        if (Double.isInfinite(value)) {
            return new long[] {type.asRegister(negative ? type.min : type.max), FpFlags.INVALID};
        }
        BigDecimal exact = new BigDecimal(value);
        BigInteger magnitude = ReferenceRounding.roundToInteger(exact.abs(), negative, rm);
        BigInteger rounded = negative ? magnitude.negate() : magnitude;
        if (rounded.compareTo(type.min) < 0) {
            return new long[] {type.asRegister(type.min), FpFlags.INVALID};
        }
        if (rounded.compareTo(type.max) > 0) {
            return new long[] {type.asRegister(type.max), FpFlags.INVALID};
        }
        int flags = new BigDecimal(rounded).compareTo(exact) != 0 ? FpFlags.INEXACT : 0;
        return new long[] {type.asRegister(rounded), flags};
    }

    /** Binary32-representable integers and their neighbours around every conversion boundary. */
    private static long integerLike(TestFormat format, Random random) {
        BigInteger[] anchors = {BigInteger.ZERO, TWO_TO_32.shiftRight(1), TWO_TO_32, TWO_TO_64.shiftRight(1),
            TWO_TO_64, BigInteger.ONE};
        BigInteger anchor = anchors[random.nextInt(anchors.length)];
        long bits = format.fromDouble(anchor.doubleValue()) + random.nextInt(7) - 3;
        return random.nextBoolean() ? bits ^ format.signBit() : bits;
    }

    private static void checkFromInteger(TestFormat format, String type, long value, BigDecimal exact,
            Result actual, int rm) {
        Result expected = exact.signum() == 0 ? new Result(0, 0) : ReferenceRounding.round(format, exact, rm);
        String description = String.format("%s %s %d rm=%d", format, type, value, rm);
        assertThat(Long.toHexString(actual.bits())).as(description).isEqualTo(Long.toHexString(expected.bits()));
        assertThat(actual.flags()).as(description + " flags").isEqualTo(expected.flags());
    }

    private static Result referenceNarrowing(long bits, int rm) {
        if (TestFormat.BINARY64.isNan(bits)) {
            return ReferenceOperations.nan(TestFormat.BINARY32, TestFormat.BINARY64.isSignalingNan(bits));
        }
        double value = Double.longBitsToDouble(bits);
        if (value == 0 || Double.isInfinite(value)) {
            return new Result(TestFormat.BINARY32.fromDouble(value), 0);
        }
        return ReferenceRounding.round(TestFormat.BINARY32, new BigDecimal(value), rm);
    }

    private static Result fromInt64(TestFormat format, long value, int rm) {
        FpStatus status = new FpStatus();
        long bits = format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.fromInt64(value, rm, status))
                : Binary64.fromInt64(value, rm, status);
        return new Result(bits, status.flags);
    }

    private static Result fromUint64(TestFormat format, long value, int rm) {
        FpStatus status = new FpStatus();
        long bits = format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.fromUint64(value, rm, status))
                : Binary64.fromUint64(value, rm, status);
        return new Result(bits, status.flags);
    }

    private static Result fromInt32(TestFormat format, int value, int rm) {
        FpStatus status = new FpStatus();
        long bits = format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.fromInt32(value, rm, status))
                : Binary64.fromInt32(value, rm, status);
        return new Result(bits, status.flags);
    }

    private static Result fromUint32(TestFormat format, int value, int rm) {
        FpStatus status = new FpStatus();
        long bits = format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.fromUint32(value, rm, status))
                : Binary64.fromUint32(value, rm, status);
        return new Result(bits, status.flags);
    }
}
