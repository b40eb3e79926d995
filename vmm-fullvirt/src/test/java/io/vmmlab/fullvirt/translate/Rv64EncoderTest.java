package io.vmmlab.fullvirt.translate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class Rv64EncoderTest {
    private static final int RD = 10;

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 2047, 2048, -2048, -2049, 0x7fff_f7ffL, 0x7fff_f800L, 0x7fff_ffffL,
            0x8000_0000L, 0x8020_0000L, 0x8020_0ffeL, 0xffff_ffffL, -0x8000_0000L, 0xffff_ffff_8000_1234L,
            0xffff_ffd8_0000_0800L, 0xffff_fffc_0000_0000L, 0x1234_5678_9abc_def0L, Long.MIN_VALUE, Long.MAX_VALUE,
            0x0000_003f_ffff_f800L})
    void aConstantLoadSetsExactlyTheValueUsingOnlyItsDestination(long value) {
        List<Integer> instructions = new ArrayList<>();
        Rv64Encoder.loadConstant(RD, value, instructions::add);

        assertThat(run(instructions)).isEqualTo(value);
        assertThat(instructions).hasSizeLessThanOrEqualTo(8);
    }

    /** Executes LUI, ADDI, ADDIW and SLLI on rd (ISA manual semantics), checking that nothing else is used. */
    private static long run(List<Integer> instructions) {
        long rd = 0xdead_beefL; // whatever rd held before must not matter
        for (int bits : instructions) {
            int opcode = bits & 0x7f;
            int funct3 = (bits >>> 12) & 7;
            int destination = (bits >>> 7) & 31;
            int source = (bits >>> 15) & 31;
            assertThat(destination).isEqualTo(RD);
            long operand = opcode == 0x37 ? 0 : source == 0 ? 0 : source == RD ? rd : fail(source);
            int imm = bits >> 20;
            rd = switch (opcode) {
                case 0x37 -> (long) (bits & 0xffff_f000);
                case 0x13 -> funct3 == 0 ? operand + imm : operand << (imm & 0x3f);
                case 0x1b -> (int) (operand + imm);
                default -> fail(opcode);
            };
        }
        return rd;
    }

    private static long fail(int what) {
        throw new AssertionError("unexpected operand or opcode " + what);
    }
}
