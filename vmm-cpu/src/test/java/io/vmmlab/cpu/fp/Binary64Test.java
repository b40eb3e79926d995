package io.vmmlab.cpu.fp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-derived binary64 cases, the binary32 ones carried over to the wider format. rm: 0 RNE, 1 RTZ, 2 RDN,
 * 3 RUP, 4 RMM. flags: 1 NX, 2 UF, 4 OF, 8 DZ, 16 NV.
 */
final class Binary64Test {
    @ParameterizedTest(name = "{0} + {1} rm={2} = {3} flags {4}")
    @CsvSource({
        "0000000000000000, 8000000000000000, 0, 0000000000000000, 0",
        "0000000000000000, 8000000000000000, 2, 8000000000000000, 0",
        "3ff0000000000000, bff0000000000000, 2, 8000000000000000, 0",
        // 1 + 2^-53: halfway between 1 and 1 + 2^-52.
        "3ff0000000000000, 3ca0000000000000, 0, 3ff0000000000000, 1",
        "3ff0000000000000, 3ca0000000000000, 1, 3ff0000000000000, 1",
        "3ff0000000000000, 3ca0000000000000, 2, 3ff0000000000000, 1",
        "3ff0000000000000, 3ca0000000000000, 3, 3ff0000000000001, 1",
        "3ff0000000000000, 3ca0000000000000, 4, 3ff0000000000001, 1",
        "bff0000000000000, bca0000000000000, 2, bff0000000000001, 1",
        "bff0000000000000, bca0000000000000, 3, bff0000000000000, 1",
        "3ff0000000000001, 3ca0000000000000, 0, 3ff0000000000002, 1",
        "7fefffffffffffff, 7fefffffffffffff, 0, 7ff0000000000000, 5",
        "7fefffffffffffff, 7fefffffffffffff, 1, 7fefffffffffffff, 5",
        "7fefffffffffffff, 7fefffffffffffff, 2, 7fefffffffffffff, 5",
        "7fefffffffffffff, 7fefffffffffffff, 3, 7ff0000000000000, 5",
        "7fefffffffffffff, 7fefffffffffffff, 4, 7ff0000000000000, 5",
        "ffefffffffffffff, ffefffffffffffff, 1, ffefffffffffffff, 5",
        "ffefffffffffffff, ffefffffffffffff, 2, fff0000000000000, 5",
        "ffefffffffffffff, ffefffffffffffff, 3, ffefffffffffffff, 5",
        "0000000000000001, 0000000000000001, 0, 0000000000000002, 0",
        "7ff0000000000000, fff0000000000000, 0, 7ff8000000000000, 16",
        "7ff8000000000123, 3ff0000000000000, 0, 7ff8000000000000, 0",
        "7ff0000000000001, 3ff0000000000000, 0, 7ff8000000000000, 16",
    })
    void add(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary64.add(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} * {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // 2^-1022 * (1 - 2^-53): exact with an unbounded exponent, so tiny; a subnormal tie.
        "0010000000000000, 3fefffffffffffff, 0, 0010000000000000, 3",
        "0010000000000000, 3fefffffffffffff, 1, 000fffffffffffff, 3",
        "0010000000000000, 3fefffffffffffff, 4, 0010000000000000, 3",
        // (1 - 2^-28) 2^-1022 * (1 + 2^-28) = 2^-1022 - 2^-1078: not tiny when it rounds up to 2^-1022.
        "000fffffff000000, 3ff0000001000000, 0, 0010000000000000, 1",
        "000fffffff000000, 3ff0000001000000, 1, 000fffffffffffff, 3",
        "000fffffff000000, 3ff0000001000000, 3, 0010000000000000, 1",
        "000fffffff000000, 3ff0000001000000, 4, 0010000000000000, 1",
        "0000000000000001, 3fe0000000000000, 0, 0000000000000000, 3",
        "0000000000000001, 3fe0000000000000, 3, 0000000000000001, 3",
        "8000000000000001, 3fe0000000000000, 2, 8000000000000001, 3",
        "7ff0000000000000, 8000000000000000, 0, 7ff8000000000000, 16",
        "7fefffffffffffff, 4000000000000000, 1, 7fefffffffffffff, 5",
    })
    void multiply(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary64.mul(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} / {1} rm={2} = {3} flags {4}")
    @CsvSource({
        // 1/3: the bits after the 53rd are 0101..., below half.
        "3ff0000000000000, 4008000000000000, 0, 3fd5555555555555, 1",
        "3ff0000000000000, 4008000000000000, 1, 3fd5555555555555, 1",
        "3ff0000000000000, 4008000000000000, 3, 3fd5555555555556, 1",
        "3ff0000000000000, 4008000000000000, 4, 3fd5555555555555, 1",
        "bff0000000000000, 4008000000000000, 2, bfd5555555555556, 1",
        "3ff0000000000000, 0000000000000000, 0, 7ff0000000000000, 8",
        "0000000000000000, 8000000000000000, 0, 7ff8000000000000, 16",
        "7ff0000000000000, 7ff0000000000000, 0, 7ff8000000000000, 16",
        "0000000000000001, 4000000000000000, 0, 0000000000000000, 3",
        "0000000000000003, 4000000000000000, 0, 0000000000000002, 3",
    })
    void divide(String a, String b, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary64.div(bits(a), bits(b), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "sqrt({0}) rm={1} = {2} flags {3}")
    @CsvSource({
        // sqrt(2) = 1.41421356237309504880...; 0x3ff6a09e667f3bcd = 1.41421356237309514547... is above it.
        "4000000000000000, 0, 3ff6a09e667f3bcd, 1",
        "4000000000000000, 1, 3ff6a09e667f3bcc, 1",
        "4000000000000000, 2, 3ff6a09e667f3bcc, 1",
        "4000000000000000, 3, 3ff6a09e667f3bcd, 1",
        "4000000000000000, 4, 3ff6a09e667f3bcd, 1",
        "4010000000000000, 0, 4000000000000000, 0",
        "8000000000000000, 0, 8000000000000000, 0",
        "bff0000000000000, 0, 7ff8000000000000, 16",
        "7ff0000000000001, 0, 7ff8000000000000, 16",
        // sqrt(2^-1074) = 2^-537.
        "0000000000000001, 0, 1e60000000000000, 0",
    })
    void sqrt(String a, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary64.sqrt(bits(a), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0} * {1} + {2} rm={3} = {4} flags {5}")
    @CsvSource({
        "7ff0000000000000, 0000000000000000, 7ff8000000000000, 0, 7ff8000000000000, 16",
        "0000000000000000, fff0000000000000, 7ff8000000000000, 0, 7ff8000000000000, 16",
        "7ff8000000000000, 0000000000000000, 3ff0000000000000, 0, 7ff8000000000000, 0",
        "fff0000000000000, 3ff0000000000000, 7ff0000000000000, 0, 7ff8000000000000, 16",
        // (1 + 2^-27)(1 - 2^-27) - 1 = -2^-54 exactly.
        "3ff0000002000000, 3feffffffc000000, bff0000000000000, 0, bc90000000000000, 0",
        "3ff0000000000000, 3ff0000000000000, bff0000000000000, 2, 8000000000000000, 0",
        "0000000000000000, 3ff0000000000000, 8000000000000000, 2, 8000000000000000, 0",
        "0000000000000000, 3ff0000000000000, 8000000000000000, 3, 0000000000000000, 0",
        // 2^-1022 * 2^-1 + 2^-1074 * 0: the exact product is representable (a subnormal), no flags.
        "0010000000000000, 3fe0000000000000, 0000000000000000, 0, 0008000000000000, 0",
        "3ff0000000000000, 3ff0000000000000, 3ca0000000000000, 4, 3ff0000000000001, 1",
    })
    void mulAdd(String a, String b, String c, int rm, String expected, int flags) {
        FpStatus status = new FpStatus();
        assertThat(hex(Binary64.mulAdd(bits(a), bits(b), bits(c), rm, status))).isEqualTo(expected);
        assertThat(status.flags).isEqualTo(flags);
    }

    static long bits(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    static String hex(long value) {
        return String.format("%016x", value);
    }
}
