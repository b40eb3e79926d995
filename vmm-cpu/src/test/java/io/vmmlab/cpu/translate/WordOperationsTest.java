package io.vmmlab.cpu.translate;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AND, OR and XOR of words computed in 32 bits ({@link AluEmitter}): the same 64-bit results as the interpreter's,
 * whichever of the sources is a word, and no knowledge carried from one block into another.
 */
final class WordOperationsTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final int OP_IMM_32 = 0x1b;
    private static final int T5 = 30;
    private static final int T6 = 31;
    private static final int S3 = 19;
    private static final int S4 = 20;

    private static int slliw(int rd, int rs1, int shamt) {
        return iType(OP_IMM_32, 1, rd, rs1, shamt);
    }

    private static int srliw(int rd, int rs1, int shamt) {
        return iType(OP_IMM_32, 5, rd, rs1, shamt);
    }

    private static long translated(TestBoard board) {
        return board.counters().snapshot().get("translator", "instructions");
    }

    /** A rotation written with SRLIW, SLLIW and OR, and bitwise operations of its result with words and non-words. */
    @Test
    void wordOperationsGiveTheSixtyFourBitResults() {
        TestBoard board = new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(0, 64));
        board.load(BASE,
                srliw(T0, A0, 8),
                slliw(T1, A0, 24),
                or(T2, T0, T1), // both words: a 32-bit rotation, sign-extended
                xori(T3, T2, -1),
                andi(T4, T2, 0x7f0),
                or(S0, T0, A1), // a1 is not a word: 64 bits
                xor(S1, T2, A1),
                lui(T5, 0x80000),
                and(T6, T5, A2), // a2 is not a word either
                jal(ZERO, 8),
                0,
                wfi());
        Rv64Hart hart = board.hart();
        long a0 = 0x1234_5678_9abc_def0L;
        long a1 = 0x1_0000_0000L;
        long a2 = 0xffff_0000_ffff_0000L;
        hart.setRegister(A0, a0);
        hart.setRegister(A1, a1);
        hart.setRegister(A2, a2);

        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        long rotated = Integer.rotateRight((int) a0, 8);
        assertThat(hart.register(T2)).isEqualTo(rotated).isEqualTo(0xffff_ffff_f09a_bcdeL);
        assertThat(hart.register(T3)).isEqualTo(~rotated);
        assertThat(hart.register(T4)).isEqualTo(rotated & 0x7f0);
        assertThat(hart.register(S0)).isEqualTo((long) ((int) a0 >>> 8) | a1);
        assertThat(hart.register(S1)).isEqualTo(rotated ^ a1);
        assertThat(hart.register(T6)).isEqualTo(0xffff_ffff_8000_0000L & a2);
        assertThat(translated(board)).as("the block, up to its jump, ran translated").isEqualTo(10);
    }

    /**
     * A register that holds a word where one block ends need not hold one where another block of the same region
     * starts: here the loop's block is entered first with t3 a word, then from itself with t3 a 64-bit value.
     */
    @Test
    void aBlockDoesNotAssumeWhatAnotherBlockMade() {
        TestBoard board = new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(1, 64));
        board.load(BASE,
                srliw(T3, A0, 0), // t3 = a0's low word, sign-extended
                addiw(T1, ZERO, 5),
                jal(ZERO, 0x40 - 8));
        board.load(BASE + 0x40,
                or(S3, T3, T1),
                add(S4, S4, S3),
                addi(T3, A5, 0), // t3 = a5, not a word
                addi(A2, A2, 1),
                bne(A2, A3, -16),
                wfi());
        Rv64Hart hart = board.hart();
        for (int run = 0; run < 3; run++) { // decoded, then translated as one region, then run translated
            hart.setPc(BASE);
            hart.setRegister(A0, 0x1_0000_0010L);
            hart.setRegister(A5, 0x7_0000_0000L);
            hart.setRegister(A2, 0);
            hart.setRegister(A3, 3);
            hart.setRegister(S4, 0);
            assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
            assertThat(hart.register(S4)).as("run %d", run).isEqualTo(0x15 + 2 * 0x7_0000_0005L);
        }
        assertThat(translated(board)).as("ran translated").isPositive();
    }
}
