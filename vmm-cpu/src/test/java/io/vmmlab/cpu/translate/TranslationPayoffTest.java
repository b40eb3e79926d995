package io.vmmlab.cpu.translate;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hot threshold adapting to whether the regions pay for themselves ({@link TranslationPayoff}). */
class TranslationPayoffTest {
    private static final long WINDOW = TranslationPayoff.WINDOW;
    private static final long WASTED_BELOW = TranslationPayoff.WASTED_BELOW;
    private static final long PAID_FROM = TranslationPayoff.PAID_FROM;
    private static final int BEHIND_WINDOWS = TranslationPayoff.BEHIND_WINDOWS;

    private final Counter translated = new Counter(new CounterKey("translator", "instructions", CostCategory.NONE));
    private final TranslationPayoff payoff = new TranslationPayoff(4000, translated);
    private long window;

    /** A region that has run this many instructions. */
    private static TranslatedCode region(long instructions) {
        Block block = Blocks.ofWords(0, addi(A0, A0, 1));
        TranslatedCode code = new TranslatedCode(new Block[] {block}) {
            @Override
            public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
                return AT_BOUNDARY;
            }
        };
        for (long left = instructions; left > 0; left -= Integer.MAX_VALUE) {
            code.countRun((int) Math.min(left, Integer.MAX_VALUE));
        }
        return code;
    }

    /** Ends the current window with nothing translated. */
    private void endWindow() {
        window++;
        payoff.judge(window * WINDOW);
    }

    /** Ends that many windows with nothing translated. */
    private void endWindows(int count) {
        for (int i = 0; i < count; i++) {
            endWindow();
        }
    }

    /** Attaches regions that will have run these numbers of instructions, then ends two windows (their judgement). */
    private void judgeRegionsThatRan(long... instructions) {
        TranslatedCode[] codes = new TranslatedCode[instructions.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = region(0);
            payoff.attached(codes[i]);
        }
        endWindow(); // they have not had a whole window yet
        for (int i = 0; i < codes.length; i++) {
            codes[i].countRun((int) instructions[i]);
        }
        endWindow();
    }

    @Test
    void itStartsAtTheBase() {
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /**
     * Windows of interpreted code with no region to judge leave the threshold where it is: a hot path too wide for any
     * of its blocks to get hot within a window is translated once they do (the rule before raised the threshold
     * every such window, faster than the blocks' counts grew).
     */
    @Test
    void coldWindowsWithoutRegionsLeaveTheThreshold() {
        for (int i = 0; i < TranslationPayoff.QUIET_WINDOWS * 3; i++) {
            endWindow();
        }
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /** Regions that mostly ran too little to pay for their compilation double the threshold at their judgement. */
    @Test
    void regionsThatDidNotPayRaiseTheThreshold() {
        judgeRegionsThatRan(0, WASTED_BELOW - 1, 2 * WASTED_BELOW);
        assertThat(payoff.threshold()).isEqualTo(8000);

        judgeRegionsThatRan(0);
        assertThat(payoff.threshold()).isEqualTo(16000);
    }

    /** A region is judged only once a whole window has passed after the one it was attached in. */
    @Test
    void aRegionIsJudgedAfterAWholeWindow() {
        payoff.attached(region(0));
        endWindow();
        assertThat(payoff.threshold()).isEqualTo(4000);

        endWindow();
        assertThat(payoff.threshold()).isEqualTo(8000);

        endWindow(); // judged once only
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    /**
     * A region out for {@link TranslationPayoff#BEHIND_WINDOWS} whole windows (the JIT is behind: in a JVM's first
     * second, regions took 40-110 ms to arrive, and those of Linux's boot then ran nothing) doubles the threshold for
     * each window it stays out.
     */
    @Test
    void aRegionOutForManyWindowsRaisesTheThreshold() {
        long request = payoff.requested();
        endWindow(); // asked for within this window
        endWindows(BEHIND_WINDOWS - 1);
        assertThat(payoff.threshold()).isEqualTo(4000);

        endWindow();
        assertThat(payoff.threshold()).isEqualTo(8000);
        endWindow();
        assertThat(payoff.threshold()).isEqualTo(16000);

        payoff.settled(request);
        payoff.attached(region(PAID_FROM));
        endWindow(); // back within the window: not behind; the region is judged at the next window's end
        assertThat(payoff.threshold()).isEqualTo(16000);
        endWindow();
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    /** Regions asked for and back within a window, or out for fewer windows, are not behind. */
    @Test
    void regionsBackSoonerAreNotBehind() {
        long first = payoff.requested();
        endWindow();
        payoff.settled(first);
        payoff.settled(payoff.requested());
        long out = payoff.requested();
        endWindows(BEHIND_WINDOWS);
        assertThat(payoff.threshold()).isEqualTo(4000);
        payoff.settled(out);
        endWindows(2);
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /**
     * Whether the JIT is behind depends on the oldest region out alone: one out long enough is, though a newer one came
     * back; a newer one still out is not yet, though the older one came back.
     */
    @Test
    void theOldestRegionOutDecidesWhetherTheJitIsBehind() {
        long oldest = payoff.requested();
        endWindow();
        long newer = payoff.requested();
        endWindows(BEHIND_WINDOWS - 1);
        payoff.settled(newer);
        endWindow();
        assertThat(payoff.threshold()).as("oldest out for all those windows").isEqualTo(8000);
    }

    /** ... and with the older one back, the newer one still out counts from its own request. */
    @Test
    void aNewerRegionOutCountsFromItsOwnRequest() {
        long older = payoff.requested();
        endWindow();
        payoff.requested();
        endWindows(BEHIND_WINDOWS - 1);
        payoff.settled(older);
        endWindow();
        assertThat(payoff.threshold()).as("newer out for one window fewer").isEqualTo(4000);
        endWindow();
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    /** A hart reset starts a window: a region out across it counts the windows before and after. */
    @Test
    void aRegionOutAcrossAResetCountsTheWindowsOnBothSides() {
        payoff.judge(5 * WINDOW);
        payoff.requested();
        long windows = 0;
        for (; windows < BEHIND_WINDOWS / 2; windows++) {
            payoff.judge((6 + windows) * WINDOW);
        }
        payoff.judge(10); // the reset: a window start too
        windows++;
        for (long at = 10 + WINDOW; windows < BEHIND_WINDOWS; windows++, at += WINDOW) {
            payoff.judge(at);
            assertThat(payoff.threshold()).isEqualTo(4000);
        }
        payoff.judge(10 + (BEHIND_WINDOWS - BEHIND_WINDOWS / 2) * WINDOW);
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    /**
     * Regions that mostly paid bring the threshold down one step; as many that paid as did not, or regions between
     * wasted and paid, leave it.
     */
    @Test
    void regionsThatPaidLowerTheThreshold() {
        judgeRegionsThatRan(0);
        judgeRegionsThatRan(0);
        assertThat(payoff.threshold()).isEqualTo(16000);

        judgeRegionsThatRan(PAID_FROM, 0);
        assertThat(payoff.threshold()).isEqualTo(16000);
        judgeRegionsThatRan(WASTED_BELOW, PAID_FROM - 1);
        assertThat(payoff.threshold()).isEqualTo(16000);

        judgeRegionsThatRan(PAID_FROM, 5 * PAID_FROM, 0);
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    @Test
    void theThresholdRisesToSixteenTimesTheBaseAtMost() {
        for (int i = 0; i < 10; i++) {
            judgeRegionsThatRan(0);
        }
        assertThat(payoff.threshold()).isEqualTo(4000 << TranslationPayoff.MAX_LEVEL).isEqualTo(64000);
    }

    /** One window in which translated code carried at least half of the run brings the base back. */
    @Test
    void aWindowCarriedByTranslatedCodeRestoresTheBase() {
        judgeRegionsThatRan(0);
        judgeRegionsThatRan(0);
        translated.add(WINDOW / 2);

        endWindow();

        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /** With no region to judge for QUIET_WINDOWS windows in a row, the threshold comes down one step. */
    @Test
    void quietWindowsBringTheThresholdDownSlowly() {
        judgeRegionsThatRan(0);
        judgeRegionsThatRan(0);
        for (int i = 1; i < TranslationPayoff.QUIET_WINDOWS; i++) {
            endWindow();
        }
        assertThat(payoff.threshold()).isEqualTo(16000);

        endWindow();
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    @Test
    void nothingChangesBeforeAWindowHasPassed() {
        payoff.attached(region(0));
        payoff.judge(WINDOW - 1);
        payoff.judge(2 * WINDOW - 2);
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /**
     * After a hart reset the count starts again from 0: a new window starts rather than waiting to pass the old, and
     * the regions of before the reset are not judged.
     */
    @Test
    void aCountThatWentBackStartsANewWindow() {
        payoff.judge(50 * WINDOW);
        payoff.attached(region(0));
        payoff.judge(10);

        payoff.judge(10 + WINDOW);
        payoff.judge(10 + 2 * WINDOW);
        assertThat(payoff.threshold()).isEqualTo(4000);

        payoff.attached(region(0));
        payoff.judge(10 + 3 * WINDOW);
        payoff.judge(10 + 4 * WINDOW);
        assertThat(payoff.threshold()).isEqualTo(8000);
    }

    /** A base so high that doubling it overflows an int gives the largest int instead. */
    @Test
    void aRaisedThresholdSaturates() {
        TranslationPayoff high = new TranslationPayoff(Integer.MAX_VALUE / 2, translated);
        high.attached(region(0));
        high.judge(WINDOW);
        high.attached(region(0));
        high.judge(2 * WINDOW);
        assertThat(high.threshold()).isEqualTo(Integer.MAX_VALUE - 1);
        high.judge(3 * WINDOW);
        assertThat(high.threshold()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aZeroBaseTranslatesEveryBlockAlwaysAndNegativeBasesAreRejected() {
        TranslationPayoff eager = new TranslationPayoff(0, translated);
        eager.attached(region(0));
        eager.judge(WINDOW);
        eager.judge(2 * WINDOW);
        assertThat(eager.threshold()).isZero();
        assertThatThrownBy(() -> new TranslationPayoff(-1, translated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRegionCountsTheInstructionsRunInIt() {
        TranslatedCode code = region(0);
        code.countRun(7);
        code.countRun(Integer.MAX_VALUE);
        assertThat(code.instructionsRun()).isEqualTo(7L + Integer.MAX_VALUE);
    }
}
