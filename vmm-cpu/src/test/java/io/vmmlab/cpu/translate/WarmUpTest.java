package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for HotSpot to compile a new region ({@link WarmUp}). */
class WarmUpTest {
    private static final int ADDI_A0_A0_1 = 0x00150513;

    /**
     * A region whose first runs each take a microsecond (as if interpreted), and the rest none (as if compiled),
     * counting its runs.
     */
    private static final class SlowRegion extends TranslatedCode {
        private final int slowRuns;
        int runs;

        SlowRegion(int slowRuns) {
            super(new Block[] {Blocks.ofWords(0, ADDI_A0_A0_1)});
            this.slowRuns = slowRuns;
        }

        @Override
        public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
            if (runs++ < slowRuns) {
                long end = System.nanoTime() + 1_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            return AT_BOUNDARY;
        }
    }

    private static long millisToWaitFor(WarmUp warmUp) {
        long start = System.nanoTime();
        while (!warmUp.done()) {
            LockSupport.parkNanos(500_000);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * A region that stays slow is handed over after the time limit, not before (a region handed over uncompiled
     * runs in the JVM's bytecode interpreter), and the zero-budget runs stay below the count at which HotSpot would
     * compile it with C2 from their profile (1500 runs with the launcher's scaled thresholds; WarmUp's bound is 1216).
     */
    @Test
    void aRegionThatStaysSlowIsWaitedForWithFewRuns() {
        SlowRegion region = new SlowRegion(Integer.MAX_VALUE);

        long waitedMillis = millisToWaitFor(new WarmUp(region));

        assertThat(waitedMillis).isBetween(199L, 2_000L);
        assertThat(region.runs).isBetween(256, 1216);
    }

    /**
     * Runs no faster than the region's own first (interpreted) runs do not count as compiled, even when they are
     * below the absolute limit (a small region's interpreted zero-budget run is about as fast as that limit).
     */
    @Test
    void runsAsSlowAsTheFirstOnesAreNotTakenForCompiled() {
        SlowRegion region = new SlowRegion(Integer.MAX_VALUE);

        long waitedMillis = millisToWaitFor(new WarmUp(region, 1_000_000));

        assertThat(waitedMillis).isBetween(199L, 2_000L);
    }

    /** A region whose runs become fast (compiled) is handed over soon after, long before the time limit. */
    @Test
    void aRegionThatGetsFastIsHandedOverSoon() {
        SlowRegion region = new SlowRegion(400);

        long waitedMillis = millisToWaitFor(new WarmUp(region));

        assertThat(waitedMillis).isLessThan(150L);
        assertThat(region.runs).isBetween(401, 1216);
    }
}
