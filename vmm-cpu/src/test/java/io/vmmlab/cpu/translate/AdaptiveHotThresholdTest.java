package io.vmmlab.cpu.translate;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot threshold following the run on a real hart ({@link TranslationPayoff}, wired through the interpreter): the
 * hart's retired-instruction count drives the windows, and instructions run in translated code count as carried.
 */
final class AdaptiveHotThresholdTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final int THRESHOLD = 100;
    private static final int AMOADD = 0x00;

    private final TestBoard board = new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(THRESHOLD, 64));
    private final Rv64Hart hart = board.hart();

    AdaptiveHotThresholdTest() {
        // A loop whose one block starts with an atomic memory operation, which the translator leaves to the
        // interpreter (it translates no block that starts with one): cold code.
        board.load(BASE, amo(AMOADD, false, T1, S1, 0), addi(A0, A0, 1), bne(A0, A2, -8), wfi());
        hart.setRegister(S1, BASE + 0x1000);
        // Two translatable one-block loops, counting a1 up to a3 and a4 up to a5.
        board.load(BASE + 0x100, addi(A1, A1, 1), bne(A1, A3, -4), wfi());
        board.load(BASE + 0x200, addi(A4, A4, 1), bne(A4, A5, -4), wfi());
    }

    private long regions() {
        return board.counters().snapshot().get("translator", "regions");
    }

    /** Runs from a pc to the next WFI. */
    private void runFrom(long pc) {
        hart.setPc(pc);
        HartExit exit;
        do {
            exit = hart.run(20_000);
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
    }

    /**
     * After three million instructions of cold code the threshold is eight times the base, so a loop of 500
     * iterations is not translated; once a loop has run translated for more than half of some windows, it is the
     * base again and a loop of 150 iterations is.
     */
    @Test
    void coldCodeRaisesTheThresholdAndTranslatedCodeBringsItBack() {
        hart.setRegister(A2, 1_050_000); // 3.15 million instructions
        runFrom(BASE);
        assertThat(regions()).isZero();

        hart.setRegister(A3, 500);
        runFrom(BASE + 0x100);
        assertThat(regions()).as("a loop of 500 iterations against a threshold of 800").isZero();
        assertThat(hart.register(A1)).isEqualTo(500);

        hart.setRegister(A1, 0);
        hart.setRegister(A3, 2_000_000); // 4 million instructions, nearly all translated once it is hot
        runFrom(BASE + 0x100);
        assertThat(regions()).isEqualTo(1);

        hart.setRegister(A5, 150);
        runFrom(BASE + 0x200);
        assertThat(regions()).as("a loop of 150 iterations against the base threshold of 100").isEqualTo(2);
        assertThat(hart.register(A4)).isEqualTo(150);
    }
}
