package io.vmmlab.cpu.fp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FCVT boundaries (F extension table "Domains of float-to-integer conversions and behavior for invalid inputs").
 * Results are written as RV64 writes rd: FCVT.W and FCVT.WU sign-extend their 32-bit results. rm: 0 RNE, 1 RTZ,
 * 2 RDN, 3 RUP, 4 RMM. flags: 1 NX, 2 UF, 4 OF, 16 NV.
 */
final class ConversionTest {
    @ParameterizedTest(name = "{0} {1} rm={2} = {3} flags {4}")
    @CsvSource({
        "W, 4f000000, 0, 2147483647, 16",
        "W, cf000000, 0, -2147483648, 0",
        "W, 4effffff, 0, 2147483520, 0",
        "W, cf000001, 0, -2147483648, 16",
        "W, 7fc00000, 0, 2147483647, 16",
        "W, ffc00000, 0, 2147483647, 16",
        "W, 7f800001, 0, 2147483647, 16",
        "W, 7f800000, 0, 2147483647, 16",
        "W, ff800000, 0, -2147483648, 16",
        "W, 80000000, 0, 0, 0",
        "W, 00000001, 3, 1, 1",
        "W, 80000001, 2, -1, 1",
        "W, 40200000, 0, 2, 1",
        "W, 40200000, 1, 2, 1",
        "W, 40200000, 2, 2, 1",
        "W, 40200000, 3, 3, 1",
        "W, 40200000, 4, 3, 1",
        "W, c0200000, 0, -2, 1",
        "W, c0200000, 1, -2, 1",
        "W, c0200000, 2, -3, 1",
        "W, c0200000, 3, -2, 1",
        "W, c0200000, 4, -3, 1",
        "W, 3fc00000, 0, 2, 1",
        "WU, bf800000, 0, 0, 16",
        "WU, bf000000, 0, 0, 1",
        "WU, bf000000, 1, 0, 1",
        "WU, bf000000, 2, 0, 16",
        "WU, bf000000, 3, 0, 1",
        "WU, bf000000, 4, 0, 16",
        "WU, 4f800000, 0, -1, 16",
        "WU, 4f7fffff, 0, -256, 0",
        "WU, 4f000000, 0, -2147483648, 0",
        "WU, 7fc00000, 0, -1, 16",
        "WU, ff800000, 0, 0, 16",
        "L, 5f000000, 0, 9223372036854775807, 16",
        "L, df000000, 0, -9223372036854775808, 0",
        "L, 7fc00000, 0, 9223372036854775807, 16",
        "L, ff800000, 0, -9223372036854775808, 16",
        "LU, 5f000000, 0, -9223372036854775808, 0",
        "LU, 5f800000, 0, -1, 16",
        "LU, 5f7fffff, 0, -1099511627776, 0",
        "LU, bf800000, 0, 0, 16",
        "LU, 7fc00000, 0, -1, 16",
    })
    void binary32ToInteger(String type, String a, int rm, long expected, int flags) {
        FpStatus status = new FpStatus();
        int value = Binary32Test.bits(a);
        long actual = switch (type) {
            case "W" -> Binary32.toInt32(value, rm, status);
            case "WU" -> Binary32.toUint32(value, rm, status);
            case "L" -> Binary32.toInt64(value, rm, status);
            case "LU" -> Binary32.toUint64(value, rm, status);
            default -> throw new IllegalArgumentException(type);
        };
        assertThat(actual).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} {1} rm={2} = {3} flags {4}")
    @CsvSource({
        "W, 41dfffffffc00000, 0, 2147483647, 0",
        // 2^31 - 0.5 rounds to 2^31 (out of range) to nearest, to 2^31 - 1 toward zero.
        "W, 41dfffffffe00000, 0, 2147483647, 16",
        "W, 41dfffffffe00000, 1, 2147483647, 1",
        // -2^31 - 0.5: a tie that goes to the even -2^31; rounding down leaves the range.
        "W, c1e0000000100000, 0, -2147483648, 1",
        "W, c1e0000000100000, 1, -2147483648, 1",
        "W, c1e0000000100000, 2, -2147483648, 16",
        "W, c1e0000000100000, 4, -2147483648, 16",
        "W, 7ff8000000000000, 0, 2147483647, 16",
        "W, fff0000000000000, 0, -2147483648, 16",
        "WU, 41efffffffe00000, 0, -1, 0",
        "WU, 41f0000000000000, 0, -1, 16",
        "WU, bff0000000000000, 0, 0, 16",
        "WU, bfe0000000000000, 0, 0, 1",
        "L, 43e0000000000000, 0, 9223372036854775807, 16",
        "L, c3e0000000000000, 0, -9223372036854775808, 0",
        "L, 43dfffffffffffff, 0, 9223372036854774784, 0",
        "L, c3e0000000000001, 0, -9223372036854775808, 16",
        "L, fff8000000000000, 0, 9223372036854775807, 16",
        "LU, 43f0000000000000, 0, -1, 16",
        "LU, 43efffffffffffff, 0, -2048, 0",
        "LU, 43e0000000000000, 0, -9223372036854775808, 0",
        "LU, bff0000000000000, 0, 0, 16",
        "LU, bfefffffffffffff, 1, 0, 1",
        "LU, 7ff0000000000000, 0, -1, 16",
    })
    void binary64ToInteger(String type, String a, int rm, long expected, int flags) {
        FpStatus status = new FpStatus();
        long value = Binary64Test.bits(a);
        long actual = switch (type) {
            case "W" -> Binary64.toInt32(value, rm, status);
            case "WU" -> Binary64.toUint32(value, rm, status);
            case "L" -> Binary64.toInt64(value, rm, status);
            case "LU" -> Binary64.toUint64(value, rm, status);
            default -> throw new IllegalArgumentException(type);
        };
        assertThat(actual).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2.
        "S.W, 16777217, 0, 4b800000, 1",
        "S.W, 16777217, 1, 4b800000, 1",
        "S.W, 16777217, 3, 4b800001, 1",
        "S.W, 16777217, 4, 4b800001, 1",
        "S.W, -16777217, 2, cb800001, 1",
        "S.W, 0, 2, 00000000, 0",
        "S.W, -2147483648, 0, cf000000, 0",
        "S.WU, -1, 0, 4f800000, 1",
        "S.WU, -1, 1, 4f7fffff, 1",
        "S.L, -9223372036854775808, 0, df000000, 0",
        "S.LU, -1, 0, 5f800000, 1",
        "S.LU, -1, 1, 5f7fffff, 1",
        "S.LU, -9223372036854775808, 0, 5f000000, 0",
        "D.W, -1, 0, bff0000000000000, 0",
        "D.W, -2147483648, 0, c1e0000000000000, 0",
        "D.WU, -1, 1, 41efffffffe00000, 0",
        "D.L, 9007199254740993, 0, 4340000000000000, 1",
        "D.L, 9007199254740993, 3, 4340000000000001, 1",
        "D.L, 9007199254740993, 4, 4340000000000001, 1",
        "D.L, -9223372036854775808, 0, c3e0000000000000, 0",
        "D.LU, -1, 0, 43f0000000000000, 1",
        "D.LU, -1, 1, 43efffffffffffff, 1",
        "D.LU, 0, 2, 0000000000000000, 0",
    })
    void integerToFloat(String type, long value, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        String actual = switch (type) {
            case "S.W" -> Binary32Test.hex(Binary32.fromInt32((int) value, rm, status));
            case "S.WU" -> Binary32Test.hex(Binary32.fromUint32((int) value, rm, status));
            case "S.L" -> Binary32Test.hex(Binary32.fromInt64(value, rm, status));
            case "S.LU" -> Binary32Test.hex(Binary32.fromUint64(value, rm, status));
            case "D.W" -> Binary64Test.hex(Binary64.fromInt32((int) value, rm, status));
            case "D.WU" -> Binary64Test.hex(Binary64.fromUint32((int) value, rm, status));
            case "D.L" -> Binary64Test.hex(Binary64.fromInt64(value, rm, status));
            case "D.LU" -> Binary64Test.hex(Binary64.fromUint64(value, rm, status));
            default -> throw new IllegalArgumentException(type);
        };
        assertThat(actual).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "FCVT.S.D {0} rm={1} = {2} flags {3}")
    @CsvSource({
        // 1 + 2^-24 is a binary32 tie.
        "3ff0000010000000, 0, 3f800000, 1",
        "3ff0000010000000, 3, 3f800001, 1",
        "3ff0000010000000, 4, 3f800001, 1",
        "7fefffffffffffff, 0, 7f800000, 5",
        "7fefffffffffffff, 1, 7f7fffff, 5",
        "ffefffffffffffff, 3, ff7fffff, 5",
        // 2^-150: half the smallest binary32 subnormal.
        "3690000000000000, 0, 00000000, 3",
        "3690000000000000, 3, 00000001, 3",
        "b690000000000000, 2, 80000001, 3",
        "36a0000000000000, 0, 00000001, 0",
        "0000000000000001, 0, 00000000, 3",
        "7ff0000000000001, 0, 7fc00000, 16",
        "fff8000000000000, 0, 7fc00000, 0",
        "fff0000000000000, 0, ff800000, 0",
        "8000000000000000, 0, 80000000, 0",
    })
    void binary64ToBinary32(String a, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(Binary32Test.hex(Binary64.toBinary32(Binary64Test.bits(a), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "FCVT.D.S {0} = {1} flags {2}")
    @CsvSource({
        "7f800001, 7ff8000000000000, 16",
        "ffc00000, 7ff8000000000000, 0",
        "00000001, 36a0000000000000, 0",
        "80000000, 8000000000000000, 0",
        "ff800000, fff0000000000000, 0",
        "7f7fffff, 47efffffe0000000, 0",
    })
    void binary32ToBinary64(String a, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(Binary64Test.hex(Binary64.fromBinary32(Binary32Test.bits(a), status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }
}
