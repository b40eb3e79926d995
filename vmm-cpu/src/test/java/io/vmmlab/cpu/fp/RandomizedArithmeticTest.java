package io.vmmlab.cpu.fp;

import io.vmmlab.cpu.fp.ReferenceRounding.Result;
import io.vmmlab.cpu.fp.TestFormat.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rounding operation, both formats, all five rounding modes, on biased random operands (fixed seeds):
 * bits and flags must equal the BigDecimal oracle, and round-to-nearest-even results must equal Java's own.
 */
final class RandomizedArithmeticTest {
    private static final int CASES = 4000;

    static Stream<Arguments> formatsAndOperations() {
        return Stream.of(TestFormat.values())
                .flatMap(format -> Stream.of(Operation.values()).map(operation -> Arguments.of(format, operation)));
    }

    @ParameterizedTest
    @MethodSource("formatsAndOperations")
    void matchesExactReferenceInEveryRoundingMode(TestFormat format, Operation operation) {
        OperandGenerator generator = new OperandGenerator(format, 0x5eed_0000L + operation.ordinal() * 31L
                + format.ordinal());
        for (int i = 0; i < CASES; i++) {
            long a = generator.next();
            long b = i % 4 == 0 ? generator.near(a) : generator.next();
            long c = generator.next();
            if (operation == Operation.MUL_ADD && i % 4 == 1) {
                // Make the addend cancel most of the product.
                long product = format.javaNearestEven(Operation.MUL, a, b, 0);
                c = generator.near(product ^ format.signBit());
            }
            for (int rm = 0; rm <= FpRounding.NEAREST_MAX_MAGNITUDE; rm++) {
                check(format, operation, a, b, c, rm);
            }
        }
    }

    private static void check(TestFormat format, Operation operation, long a, long b, long c, int rm) {
        FpStatus status = new FpStatus();
        long actual = format.operation(operation, a, b, c, rm, status);
        Result expected = ReferenceOperations.compute(format, operation, a, b, c, rm);
        String description = String.format("%s %s(%x, %x, %x) rm=%d", format, operation, a, b, c, rm);
        assertThat(Long.toHexString(actual)).as(description).isEqualTo(Long.toHexString(expected.bits()));
        assertThat(status.flags).as(description + " flags").isEqualTo(expected.flags());
        if (rm == FpRounding.NEAREST_EVEN) {
            long java = format.javaNearestEven(operation, a, b, c);
            if (format.isNan(java)) {
                assertThat(actual).as(description + " Java gives NaN").isEqualTo(format.canonicalNan());
            } else {
                assertThat(Long.toHexString(actual)).as(description + " versus Java")
                        .isEqualTo(Long.toHexString(java));
            }
        }
    }
}
