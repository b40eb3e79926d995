package io.vmmlab.cpu.fp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** FMIN/FMAX (version 2.2 rules), FEQ/FLT/FLE, FCLASS, and the rounding-mode check. */
final class ComparisonTest {
    @ParameterizedTest(name = "min/max({0}, {1}) = {2}/{3} flags {4}")
    @CsvSource({
        "00000000, 80000000, 80000000, 00000000, 0",
        "80000000, 00000000, 80000000, 00000000, 0",
        "7fc00000, 3f800000, 3f800000, 3f800000, 0",
        "3f800000, ffc12345, 3f800000, 3f800000, 0",
        "7f800001, 3f800000, 3f800000, 3f800000, 16",
        "7fc00000, 7fc00001, 7fc00000, 7fc00000, 0",
        "ff800001, 7fc00000, 7fc00000, 7fc00000, 16",
        "ff800000, 7f800000, ff800000, 7f800000, 0",
        "bf800000, 00000001, bf800000, 00000001, 0",
    })
    void binary32MinMax(String a, String b, String min, String max, int flags) {
        FpStatus status = new FpStatus();
        assertThat(Binary32Test.hex(Binary32.min(Binary32Test.bits(a), Binary32Test.bits(b), status))).isEqualTo(min);
        assertThat(Binary32Test.hex(Binary32.max(Binary32Test.bits(a), Binary32Test.bits(b), status))).isEqualTo(max);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "min/max({0}, {1}) = {2}/{3} flags {4}")
    @CsvSource({
        "0000000000000000, 8000000000000000, 8000000000000000, 0000000000000000, 0",
        "7ff8000000000000, bff0000000000000, bff0000000000000, bff0000000000000, 0",
        "7ff0000000000001, bff0000000000000, bff0000000000000, bff0000000000000, 16",
        "fff8000000000000, 7ff8000000000001, 7ff8000000000000, 7ff8000000000000, 0",
    })
    void binary64MinMax(String a, String b, String min, String max, int flags) {
        FpStatus status = new FpStatus();
        assertThat(Binary64Test.hex(Binary64.min(Binary64Test.bits(a), Binary64Test.bits(b), status))).isEqualTo(min);
        assertThat(Binary64Test.hex(Binary64.max(Binary64Test.bits(a), Binary64Test.bits(b), status))).isEqualTo(max);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} vs {1}: eq {2} ({3}), lt {4}, le {5} ({6})")
    @CsvSource({
        "00000000, 80000000, true, 0, false, true, 0",
        "80000000, 00000000, true, 0, false, true, 0",
        "7fc00000, 7fc00000, false, 0, false, false, 16",
        "7f800001, 3f800000, false, 16, false, false, 16",
        "3f800000, 7fc00000, false, 0, false, false, 16",
        "ff800000, ff7fffff, false, 0, true, true, 0",
        "00000001, 00000002, false, 0, true, true, 0",
        "3f800000, 3f800000, true, 0, false, true, 0",
        "bf800000, bf800001, false, 0, false, false, 0",
    })
    void binary32Compare(String a, String b, boolean eq, int eqFlags, boolean lt, boolean le, int signalingFlags) {
        int x = Binary32Test.bits(a);
        int y = Binary32Test.bits(b);
        FpStatus status = new FpStatus();
        assertThat(Binary32.eq(x, y, status)).isEqualTo(eq);
        assertThat(status.flags).isEqualTo(eqFlags);
        status = new FpStatus();
        assertThat(Binary32.lt(x, y, status)).isEqualTo(lt);
        assertThat(status.flags).isEqualTo(signalingFlags);
        status = new FpStatus();
        assertThat(Binary32.le(x, y, status)).isEqualTo(le);
        assertThat(status.flags).isEqualTo(signalingFlags);
    }

    @Test
    void binary64CompareNanRules() {
        FpStatus status = new FpStatus();
        assertThat(Binary64.eq(Binary64.CANONICAL_NAN, Binary64.CANONICAL_NAN, status)).isFalse();
        assertThat(status.flags).isZero();
        assertThat(Binary64.eq(0x7ff0000000000001L, 0, status)).isFalse();
        assertThat(status.flags).isEqualTo(FpFlags.INVALID);
        status = new FpStatus();
        assertThat(Binary64.le(0, Binary64.CANONICAL_NAN, status)).isFalse();
        assertThat(status.flags).isEqualTo(FpFlags.INVALID);
        assertThat(Binary64.le(0x8000000000000000L, 0, new FpStatus())).isTrue();
        assertThat(Binary64.lt(0x8000000000000000L, 0, new FpStatus())).isFalse();
        assertThat(Binary64.eq(0x8000000000000000L, 0, new FpStatus())).isTrue();
    }

    @ParameterizedTest(name = "fclass({0}) = bit {1}")
    @CsvSource({
        "ff800000, fff0000000000000, 0",
        "bf800000, bff0000000000000, 1",
        "807fffff, 800fffffffffffff, 2",
        "80000000, 8000000000000000, 3",
        "00000000, 0000000000000000, 4",
        "00000001, 0000000000000001, 5",
        "7f7fffff, 7fefffffffffffff, 6",
        "7f800000, 7ff0000000000000, 7",
        "7f800001, 7ff0000000000001, 8",
        "ffbfffff, fff7ffffffffffff, 8",
        "7fc00000, 7ff8000000000000, 9",
        "ffc00001, fff8000000000001, 9",
    })
    void classifySetsExactlyOneBit(String single, String wide, int bit) {
        assertThat(Binary32.classify(Binary32Test.bits(single))).isEqualTo(1 << bit);
        assertThat(Binary64.classify(Binary64Test.bits(wide))).isEqualTo(1 << bit);
    }

    @Test
    void onlyTheFiveStaticRoundingModesAreValid() {
        for (int rm = -1; rm <= 8; rm++) {
            assertThat(FpRounding.isValid(rm)).as("rm %d", rm).isEqualTo(rm >= 0 && rm <= 4);
        }
    }
}
