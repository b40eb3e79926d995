package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The budgets a region's runs get ({@link TranslatedCode#runBudget}). */
class TranslatedCodeTest {
    private static final int ADDI_A0_A0_1 = 0x00150513;

    /** A region whose entry block has three instructions (its run method is never called here). */
    private static TranslatedCode region() {
        Block entry = Blocks.ofWords(0, ADDI_A0_A0_1, ADDI_A0_A0_1, ADDI_A0_A0_1);
        return new TranslatedCode(new Block[] {entry}) {
            @Override
            public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void earlyRunsAreCutShortAtEveryOffsetButStillFitTheEntryBlock() {
        TranslatedCode code = region();
        Set<Integer> lengths = new HashSet<>();
        int cut = 0;
        for (int run = 0; run < 2000; run++) {
            int limit = code.runBudget(100, 10_000);
            assertThat(limit).isBetween(100 + 3, 10_000);
            if (limit < 10_000) {
                cut++;
                lengths.add(limit - 100);
            }
        }

        assertThat(cut).isEqualTo(1000);
        assertThat(lengths).hasSize(256).allSatisfy(length -> assertThat(length).isBetween(3, 3 + 255));
    }

    @Test
    void aCutNeverExceedsTheRunsOwnBudget() {
        TranslatedCode code = region();
        for (int run = 0; run < 1000; run++) {
            assertThat(code.runBudget(0, 5)).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void laterRunsGetTheirWholeBudget() {
        TranslatedCode code = region();
        for (int run = 0; run < 8192; run++) {
            code.runBudget(0, 10_000);
        }

        for (int run = 0; run < 1000; run++) {
            assertThat(code.runBudget(0, 10_000)).isEqualTo(10_000);
        }
    }

    @Test
    void aCutNearTheLargestBudgetDoesNotOverflow() {
        TranslatedCode code = region();
        for (int run = 0; run < 1000; run++) {
            assertThat(code.runBudget(Integer.MAX_VALUE - 10, Integer.MAX_VALUE))
                    .isBetween(Integer.MAX_VALUE - 10 + 3, Integer.MAX_VALUE);
        }
    }
}
