package io.vmmlab.cpu.fp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-derived binary32 cases. rm: 0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM. flags: 1 NX, 2 UF, 4 OF, 8 DZ, 16 NV.
 */
final class Binary32Test {
    @ParameterizedTest(name = "{0} + {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // Signed zeros (IEEE 754 §6.3): x + (-x) is +0 except when rounding down.
        "00000000, 80000000, 0, 00000000, 0",
        "00000000, 80000000, 2, 80000000, 0",
        "80000000, 80000000, 0, 80000000, 0",
        "3f800000, bf800000, 0, 00000000, 0",
        "3f800000, bf800000, 2, 80000000, 0",
        "3f800000, bf800000, 3, 00000000, 0",
        // 1 + 2^-24 lies halfway between 1 and 1 + 2^-23.
        "3f800000, 33800000, 0, 3f800000, 1",
        "3f800000, 33800000, 1, 3f800000, 1",
        "3f800000, 33800000, 2, 3f800000, 1",
        "3f800000, 33800000, 3, 3f800001, 1",
        "3f800000, 33800000, 4, 3f800001, 1",
        "bf800000, b3800000, 0, bf800000, 1",
        "bf800000, b3800000, 1, bf800000, 1",
        "bf800000, b3800000, 2, bf800001, 1",
        "bf800000, b3800000, 3, bf800000, 1",
        "bf800000, b3800000, 4, bf800001, 1",
        // An odd significand: the tie goes up to even for RNE.
        "3f800001, 33800000, 0, 3f800002, 1",
        "3f800001, 33800000, 1, 3f800001, 1",
        // Overflow: infinity or the largest finite number, by mode and sign.
        "7f7fffff, 7f7fffff, 0, 7f800000, 5",
        "7f7fffff, 7f7fffff, 1, 7f7fffff, 5",
        "7f7fffff, 7f7fffff, 2, 7f7fffff, 5",
        "7f7fffff, 7f7fffff, 3, 7f800000, 5",
        "7f7fffff, 7f7fffff, 4, 7f800000, 5",
        "ff7fffff, ff7fffff, 0, ff800000, 5",
        "ff7fffff, ff7fffff, 1, ff7fffff, 5",
        "ff7fffff, ff7fffff, 2, ff800000, 5",
        "ff7fffff, ff7fffff, 3, ff7fffff, 5",
        "ff7fffff, ff7fffff, 4, ff800000, 5",
        // MAX + half an ulp (2^103): a tie that overflows for RNE/RMM, plain inexact toward zero.
        "7f7fffff, 73000000, 0, 7f800000, 5",
        "7f7fffff, 73000000, 1, 7f7fffff, 1",
        "7f7fffff, 73000000, 4, 7f800000, 5",
        "7f7fffff, 72800000, 0, 7f7fffff, 1",
        "7f7fffff, 72800000, 3, 7f800000, 5",
        // Subnormal sums are exact: no underflow without inexact.
        "00000001, 00000001, 0, 00000002, 0",
        "00800000, 80000001, 0, 007fffff, 0",
        // Infinities and NaNs: every NaN result is canonical; only a signaling NaN or inf - inf is invalid.
        "7f800000, ff800000, 0, 7fc00000, 16",
        "7f800000, 7f800000, 0, 7f800000, 0",
        "7f800000, ff7fffff, 0, 7f800000, 0",
        "7fc12345, 3f800000, 0, 7fc00000, 0",
        "ffc00000, 3f800000, 0, 7fc00000, 0",
        "7f800001, 3f800000, 0, 7fc00000, 16",
        "3f800000, ff800001, 0, 7fc00000, 16",
    })
    void add(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.add(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} - {1} rm={2} = {3} flags {4}")
    @CsvSource({
        "3f800000, 3f800000, 0, 00000000, 0",
        "3f800000, 3f800000, 2, 80000000, 0",
        "80000000, 00000000, 0, 80000000, 0",
        "7f800000, 7f800000, 0, 7fc00000, 16",
        "40000000, 33800000, 1, 3fffffff, 1",
        "40000000, 33800000, 0, 40000000, 1",
    })
    void subtract(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.sub(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} * {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // 2^-126 * (1 - 2^-24) = 2^-126 - 2^-150: exact with an unbounded exponent, so tiny; the subnormal
        // rounding is a tie between 0x007fffff and 0x00800000.
        "00800000, 3f7fffff, 0, 00800000, 3",
        "00800000, 3f7fffff, 1, 007fffff, 3",
        "00800000, 3f7fffff, 2, 007fffff, 3",
        "00800000, 3f7fffff, 3, 00800000, 3",
        "00800000, 3f7fffff, 4, 00800000, 3",
        // (1 - 2^-13) 2^-126 * (1 + 2^-13) = 2^-126 - 2^-152: rounds to 2^-126 even with an unbounded exponent,
        // so not tiny (tininess after rounding), except in the modes that round it down.
        "007ffc00, 3f800400, 0, 00800000, 1",
        "007ffc00, 3f800400, 1, 007fffff, 3",
        "007ffc00, 3f800400, 2, 007fffff, 3",
        "007ffc00, 3f800400, 3, 00800000, 1",
        "007ffc00, 3f800400, 4, 00800000, 1",
        // 2^-149 * 0.5 = 2^-150, half the smallest subnormal.
        "00000001, 3f000000, 0, 00000000, 3",
        "00000001, 3f000000, 1, 00000000, 3",
        "00000001, 3f000000, 3, 00000001, 3",
        "00000001, 3f000000, 4, 00000001, 3",
        "80000001, 3f000000, 0, 80000000, 3",
        "80000001, 3f000000, 2, 80000001, 3",
        "80000001, 3f000000, 3, 80000000, 3",
        // 2^-149 * 0.75: above the tie.
        "00000001, 3f400000, 0, 00000001, 3",
        "00000001, 3f400000, 1, 00000000, 3",
        "7f7fffff, 40000000, 1, 7f7fffff, 5",
        "7f7fffff, c0000000, 3, ff7fffff, 5",
        "7f800000, 00000000, 0, 7fc00000, 16",
        "80000000, 7f800000, 0, 7fc00000, 16",
        "80000000, 3f800000, 0, 80000000, 0",
        "ff800000, bf800000, 0, 7f800000, 0",
    })
    void multiply(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.mul(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} / {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // 1/3 = 1.0101...b * 2^-2: the bits after the 24th are 1010..., above half.
        "3f800000, 40400000, 0, 3eaaaaab, 1",
        "3f800000, 40400000, 1, 3eaaaaaa, 1",
        "3f800000, 40400000, 2, 3eaaaaaa, 1",
        "3f800000, 40400000, 3, 3eaaaaab, 1",
        "3f800000, 40400000, 4, 3eaaaaab, 1",
        "bf800000, 40400000, 2, beaaaaab, 1",
        "3f800000, 00000000, 0, 7f800000, 8",
        "bf800000, 00000000, 0, ff800000, 8",
        "3f800000, 80000000, 0, ff800000, 8",
        "00000000, 00000000, 0, 7fc00000, 16",
        "7f800000, ff800000, 0, 7fc00000, 16",
        "7f800000, 00000000, 0, 7f800000, 0",
        "3f800000, ff800000, 0, 80000000, 0",
        "40c00000, 40400000, 0, 40000000, 0",
        // 2^-126 / 2^24: 2^-150, half the smallest subnormal.
        "00800000, 4b800000, 0, 00000000, 3",
        "00800000, 4b800000, 3, 00000001, 3",
    })
    void divide(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.div(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "sqrt({0}) rm={1} = {2} flags {3}")
    @CsvSource({
        // sqrt(2) = 1.0110101000001001111001100110011...b: the bits after the 24th are below half.
        "40000000, 0, 3fb504f3, 1",
        "40000000, 1, 3fb504f3, 1",
        "40000000, 3, 3fb504f4, 1",
        "40000000, 4, 3fb504f3, 1",
        "40800000, 0, 40000000, 0",
        "80000000, 0, 80000000, 0",
        "00000000, 2, 00000000, 0",
        "bf800000, 0, 7fc00000, 16",
        "ff800000, 0, 7fc00000, 16",
        "7f800000, 0, 7f800000, 0",
        "7f800001, 0, 7fc00000, 16",
        "ffc00000, 0, 7fc00000, 0",
        // sqrt(2^-148) = 2^-74: a subnormal operand has a normal root.
        "00000002, 0, 1a800000, 0",
    })
    void sqrt(String a, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.sqrt(bits(a), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} * {1} + {2} rm={3} = {4} flags {5}")
    @CsvSource({
        // F extension: inf * 0 is invalid even when the addend is a quiet NaN.
        "7f800000, 00000000, 7fc00000, 0, 7fc00000, 16",
        "00000000, ff800000, 3f800000, 0, 7fc00000, 16",
        "7fc00000, 3f800000, 3f800000, 0, 7fc00000, 0",
        "3f800000, 3f800000, 7f800001, 0, 7fc00000, 16",
        "7f800000, 3f800000, ff800000, 0, 7fc00000, 16",
        "7f800000, 3f800000, 7f800000, 0, 7f800000, 0",
        "3f800000, 3f800000, ff800000, 0, ff800000, 0",
        // (1 + 2^-13)(1 - 2^-13) - 1 = -2^-26 exactly: one rounding, not two (which would give 0).
        "3f800400, 3f7ff800, bf800000, 0, b2800000, 0",
        "3f800000, 3f800000, bf800000, 0, 00000000, 0",
        "3f800000, 3f800000, bf800000, 2, 80000000, 0",
        "00000000, 3f800000, 80000000, 0, 00000000, 0",
        "00000000, 3f800000, 80000000, 2, 80000000, 0",
        "80000000, 3f800000, 80000000, 0, 80000000, 0",
        "00000000, 3f800000, c0000000, 0, c0000000, 0",
        // 1 * 1 + 2^-24: the tie of the add test, rounded once.
        "3f800000, 3f800000, 33800000, 0, 3f800000, 1",
        "3f800000, 3f800000, 33800000, 4, 3f800001, 1",
        "7f7fffff, 40000000, ff7fffff, 0, 7f7fffff, 0",
        "7f7fffff, 40000000, 00000000, 1, 7f7fffff, 5",
    })
    void mulAdd(String a, String b, String c, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary32.mulAdd(bits(a), bits(b), bits(c), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    static int bits(String hex) {
        return Integer.parseUnsignedInt(hex, 16);
    }

    static String hex(int value) {
        return String.format("%08x", value);
    }
}
