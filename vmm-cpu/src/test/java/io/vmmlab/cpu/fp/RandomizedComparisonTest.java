package io.vmmlab.cpu.fp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FEQ/FLT/FLE and FMIN/FMAX on biased random pairs against the F extension's rules, with values ordered by their
 * exact BigDecimal values.
 */
final class RandomizedComparisonTest {
    private static final int CASES = 20000;

    @ParameterizedTest
    @EnumSource(TestFormat.class)
    void comparisonsFollowTheSpec(TestFormat format) {
        OperandGenerator generator = new OperandGenerator(format, 0xc0_4ba5eL + format.ordinal());
        for (int i = 0; i < CASES; i++) {
            long a = generator.next();
            long b = i % 3 == 0 ? generator.near(a) : generator.next();
            boolean anyNan = format.isNan(a) || format.isNan(b);
            boolean anySignaling = format.isSignalingNan(a) || format.isSignalingNan(b);
            int order = anyNan ? 0 : compare(format, a, b);
            String description = String.format("%s %x, %x", format, a, b);

            FpStatus status = new FpStatus();
            assertThat(equal(format, a, b, status)).as("eq " + description).isEqualTo(!anyNan && order == 0);
            assertThat(status.flags).as("eq flags " + description).isEqualTo(anySignaling ? FpFlags.INVALID : 0);
            status = new FpStatus();
            assertThat(less(format, a, b, status)).as("lt " + description).isEqualTo(!anyNan && order < 0);
            assertThat(status.flags).as("lt flags " + description).isEqualTo(anyNan ? FpFlags.INVALID : 0);
            status = new FpStatus();
            assertThat(lessOrEqual(format, a, b, status)).as("le " + description).isEqualTo(!anyNan && order <= 0);
            assertThat(status.flags).as("le flags " + description).isEqualTo(anyNan ? FpFlags.INVALID : 0);

            long expectedMin;
            long expectedMax;
            if (format.isNan(a) && format.isNan(b)) {
                expectedMin = format.canonicalNan();
                expectedMax = format.canonicalNan();
            } else if (format.isNan(a) || format.isNan(b)) {
                expectedMin = format.isNan(a) ? b : a;
                expectedMax = expectedMin;
            } else {
                // -0.0 < +0.0 for FMIN/FMAX only: break exact-value ties by the sign bit.
                int totalOrder = order != 0 ? order : Boolean.compare(!negative(format, a), !negative(format, b));
                expectedMin = totalOrder <= 0 ? a : b;
                expectedMax = totalOrder >= 0 ? a : b;
            }
            status = new FpStatus();
            assertThat(minimum(format, a, b, status)).as("min " + description).isEqualTo(expectedMin);
            assertThat(maximum(format, a, b, status)).as("max " + description).isEqualTo(expectedMax);
            assertThat(status.flags).as("min/max flags " + description)
                    .isEqualTo(anySignaling ? FpFlags.INVALID : 0);
        }
    }

    private static int compare(TestFormat format, long a, long b) {
        double x = format.toDouble(a);
        double y = format.toDouble(b);
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            return Double.compare(x == 0 ? 0 : x, y == 0 ? 0 : y);
        }
        return new BigDecimal(x).compareTo(new BigDecimal(y));
    }

    private static boolean negative(TestFormat format, long bits) {
        return ReferenceOperations.negative(format, bits);
    }

    private static boolean equal(TestFormat format, long a, long b, FpStatus status) {
        return format == TestFormat.BINARY32 ? Binary32.eq((int) a, (int) b, status) : Binary64.eq(a, b, status);
    }

    private static boolean less(TestFormat format, long a, long b, FpStatus status) {
        return format == TestFormat.BINARY32 ? Binary32.lt((int) a, (int) b, status) : Binary64.lt(a, b, status);
    }

    private static boolean lessOrEqual(TestFormat format, long a, long b, FpStatus status) {
        return format == TestFormat.BINARY32 ? Binary32.le((int) a, (int) b, status) : Binary64.le(a, b, status);
    }

    private static long minimum(TestFormat format, long a, long b, FpStatus status) {
        return format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.min((int) a, (int) b, status))
                : Binary64.min(a, b, status);
    }

    private static long maximum(TestFormat format, long a, long b, FpStatus status) {
        return format == TestFormat.BINARY32 ? Integer.toUnsignedLong(Binary32.max((int) a, (int) b, status))
                : Binary64.max(a, b, status);
    }
}
