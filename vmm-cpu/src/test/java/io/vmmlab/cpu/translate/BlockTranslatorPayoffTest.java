package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.mmu.Tlb;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/** How the translator's hot threshold follows the run ({@link TranslationPayoff}), seen on a block. */
class BlockTranslatorPayoffTest {
    private static final long BASE = 0x8000_0000L;
    private static final long WINDOW = TranslationPayoff.WINDOW;

    private final Counter regions = new Counter(new CounterKey("translator", "regions", CostCategory.NONE));
    private final BlockTranslator translator = new BlockTranslator(new TranslatorConfig(100, 64),
            new FlatRam(BASE, 64 << 10), new long[Tlb.LENGTH], regions, null);
    private final DecodedPage page = new DecodedPage(BASE);
    private final Block block = Blocks.ofWords(0, addi(A0, A0, 1), beq(A0, A1, -4));

    BlockTranslatorPayoffTest() {
        page.store(block);
        translator.arm(block);
    }

    /** Calls translate as the interpreter does each time the block's heat runs out, until it is translated. */
    private int heatRunsUntilTranslated() {
        int runs = 0;
        while (block.code == null && runs < 100) {
            assertThat(translator.translate(block, page)).isTrue();
            runs++;
        }
        return runs;
    }

    @Test
    void aBlockIsArmedWithTheBase() {
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(100);
    }

    /** While translated code carries the run, a block whose heat ran out is translated. */
    @Test
    void whileTranslatedCodeCarriesTheRunAHotBlockIsTranslated() {
        translator.ranTranslated((int) WINDOW);
        translator.attachFinished(WINDOW);

        assertThat(heatRunsUntilTranslated()).isEqualTo(1);
        assertThat(regions.value()).isEqualTo(1);
    }

    /**
     * After a window of cold code the threshold is twice the base: a block whose heat ran out at the base counts on
     * for another base's worth of executions, and is translated when that runs out too.
     */
    @Test
    void afterColdCodeABlockCountsOnToTheRaisedThreshold() {
        translator.attachFinished(WINDOW);

        assertThat(translator.translate(block, page)).isTrue();
        assertThat(block.code).isNull();
        assertThat(regions.value()).isZero();
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(200);

        assertThat(heatRunsUntilTranslated()).isEqualTo(1);
        assertThat(regions.value()).isEqualTo(1);
    }

    /**
     * However long the run stays cold, the threshold stops at 16 times the base: 15 steps of the base, then a region.
     */
    @Test
    void theThresholdStopsAtSixteenTimesTheBase() {
        for (int window = 1; window <= 10; window++) {
            translator.attachFinished(window * WINDOW);
        }

        assertThat(heatRunsUntilTranslated()).isEqualTo(16);
        assertThat(block.heatTarget).isEqualTo(1600);
    }

    /**
     * A block counts on in steps of the base however high the threshold, so when the threshold falls meanwhile it
     * is translated at the next step.
     */
    @Test
    void aFallOfTheThresholdTakesEffectAtTheNextStep() {
        for (int window = 1; window <= 4; window++) {
            translator.attachFinished(window * WINDOW); // 16 times the base
        }
        translator.translate(block, page);
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(200);

        translator.ranTranslated((int) WINDOW);
        translator.attachFinished(5 * WINDOW); // back to the base
        translator.translate(block, page);

        assertThat(block.code).isNotNull();
    }
}
