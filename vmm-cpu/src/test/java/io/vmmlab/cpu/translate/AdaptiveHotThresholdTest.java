package io.vmmlab.cpu.translate;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot threshold following the run on a real hart ({@link TranslationPayoff}, wired through the interpreter): the
 * hart's retired-instruction count drives the windows, and the instructions each region runs judge it.
 */
final class AdaptiveHotThresholdTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final int THRESHOLD = 100;
    private static final int AMOADD = 0x00;

    private final TestBoard board = new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(THRESHOLD, 64));
    private final Rv64Hart hart = board.hart();

    AdaptiveHotThresholdTest() {
        // A loop whose one block starts with an atomic memory operation, which the translator leaves to the
        // interpreter (it translates no block that starts with one): cold code, three instructions an iteration.
        board.load(BASE, amo(AMOADD, false, T1, S1, 0), addi(A0, A0, 1), bne(A0, A2, -8), wfi());
        hart.setRegister(S1, BASE + 0x1000);
        // Translatable one-block loops, counting a1 up to a3, a4 up to a5, t2 up to t3 and s0 up to s2.
        board.load(BASE + 0x100, addi(A1, A1, 1), bne(A1, A3, -4), wfi());
        board.load(BASE + 0x200, addi(A4, A4, 1), bne(A4, A5, -4), wfi());
        board.load(BASE + 0x300, addi(T2, T2, 1), bne(T2, T3, -4), wfi());
        board.load(BASE + 0x400, addi(S0, S0, 1), bne(S0, S2, -4), wfi());
    }

    private static long regions(TestBoard on) {
        return on.counters().snapshot().get("translator", "regions");
    }

    /** Runs from a pc to the next WFI. */
    private static void runFrom(Rv64Hart on, long pc) {
        on.setPc(pc);
        HartExit exit;
        do {
            exit = on.run(20_000);
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
    }

    private void runCold(long iterations) {
        hart.setRegister(A0, 0);
        hart.setRegister(A2, iterations);
        runFrom(hart, BASE);
    }

    /** Three million instructions of cold code alone leave the threshold at the base: a 150-iteration loop is hot. */
    @Test
    void coldCodeAloneLeavesTheBase() {
        runCold(1_050_000);
        assertThat(regions(board)).isZero();

        hart.setRegister(A3, 150);
        runFrom(hart, BASE + 0x100);
        assertThat(regions(board)).as("a loop of 150 iterations against the base threshold of 100").isEqualTo(1);
        assertThat(hart.register(A1)).isEqualTo(150);
    }

    /**
     * A region that ran a hundred instructions and never again is judged wasted once a whole window has passed: the
     * threshold doubles, so a loop of 150 iterations is not translated; once a loop has run translated for more than
     * half of a window, it is the base again and a loop of 150 iterations is.
     */
    @Test
    void wastedRegionsRaiseTheThresholdAndTranslatedCodeBringsItBack() {
        hart.setRegister(A3, 150);
        runFrom(hart, BASE + 0x100); // translated at iteration 100; its region runs the last 50
        assertThat(regions(board)).isEqualTo(1);
        runCold(800_000); // 2.4 million instructions: the region is judged at the second window's end

        hart.setRegister(A5, 150);
        runFrom(hart, BASE + 0x200);
        assertThat(regions(board)).as("a loop of 150 iterations against a threshold of 200").isEqualTo(1);
        assertThat(hart.register(A4)).isEqualTo(150);

        hart.setRegister(T3, 2_000_000); // 4 million instructions, nearly all translated once it is hot
        runFrom(hart, BASE + 0x300);
        assertThat(regions(board)).isEqualTo(2);

        hart.setRegister(S2, 150);
        runFrom(hart, BASE + 0x400);
        assertThat(regions(board)).as("a loop of 150 iterations against the base threshold of 100").isEqualTo(3);
        assertThat(hart.register(S0)).isEqualTo(150);
    }

    /**
     * A region that ran long enough to pay (about 300,000 instructions, in a window translated code did not carry) is
     * judged paid once a whole window has passed, so the threshold stays at the base. Each region counts what it runs
     * ({@link TranslatedCode#countRun}); without that count every region would look wasted.
     */
    @Test
    void aRegionThatRanLongKeepsTheBase() {
        hart.setRegister(A3, 150_000);
        runFrom(hart, BASE + 0x100); // translated at iteration 100; its region runs the rest
        assertThat(regions(board)).isEqualTo(1);
        runCold(800_000); // 2.4 million instructions: the region is judged at the second window's end

        hart.setRegister(A5, 150);
        runFrom(hart, BASE + 0x200);
        assertThat(regions(board)).as("a loop of 150 iterations against the base threshold of 100").isEqualTo(2);
    }

    /**
     * A hot path wider than a window over the base (300 instructions an iteration at a base of 4000: blocks of 64
     * instructions count four times per execution, so its first four get hot at iteration 1000, the last, of 44
     * instructions, at 1455) is translated. Raising the threshold for every window that translated code did not carry,
     * as the rule before session 32 did, kept it from ever being translated: its blocks' counts grew by 3,333 a window,
     * the threshold doubled.
     */
    @Test
    void aHotPathWiderThanAWindowIsTranslated() {
        TestBoard wide = new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(4000, 64));
        int[] loop = new int[301];
        Arrays.fill(loop, 0, 298, addi(A0, A0, 1));
        loop[298] = addi(A1, A1, 1);
        loop[299] = bne(A1, A2, -299 * 4);
        loop[300] = wfi();
        wide.load(BASE, loop);
        Rv64Hart wideHart = wide.hart();
        wideHart.setRegister(A2, 6000); // 1.8 million instructions

        runFrom(wideHart, BASE);

        assertThat(wideHart.register(A0)).isEqualTo(6000L * 298);
        // Five blocks: the first four are straight-line code (RegionSelector), one region.
        assertThat(regions(wide)).as("the loop's five blocks, hot at iterations 1000 and 1455").isGreaterThanOrEqualTo(2);
        long translated = wide.counters().snapshot().get("translator", "instructions");
        assertThat(translated).as("most of the last 5000 iterations run translated")
                .isBetween(4000L * 300, 5000L * 300);
    }
}
