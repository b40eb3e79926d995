package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for HotSpot to compile a new region ({@link WarmUp}). */
class WarmUpTest {
    private static final int ADDI_A0_A0_1 = 0x00150513;

    /** A region whose runs never get fast (each takes a microsecond, as if interpreted), counting its runs. */
    private static final class SlowRegion extends TranslatedCode {
        int runs;

        SlowRegion() {
            super(new Block[] {CodeGenerator.block(0, ADDI_A0_A0_1)});
        }

        @Override
        public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
            runs++;
            long end = System.nanoTime() + 1_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return AT_BOUNDARY;
        }
    }

    /**
     * A region that stays slow is handed over after the time limit, not before (a region handed over uncompiled
     * runs in the JVM's bytecode interpreter), and the zero-budget runs stay below the count at which HotSpot would
     * compile it with C2 from their profile (1500 runs with the launcher's scaled thresholds; WarmUp's bound is 1216).
     */
    @Test
    void aRegionThatStaysSlowIsWaitedForWithFewRuns() {
        SlowRegion region = new SlowRegion();
        long start = System.nanoTime();
        WarmUp warmUp = new WarmUp(region);
        while (!warmUp.done()) {
            LockSupport.parkNanos(500_000);
        }
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(waitedMillis).isBetween(200L, 2_000L);
        assertThat(region.runs).isBetween(256, 1216);
    }
}
