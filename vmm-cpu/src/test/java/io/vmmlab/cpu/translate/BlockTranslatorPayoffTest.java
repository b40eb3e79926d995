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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/** How the translator's hot threshold follows the run ({@link TranslationPayoff}), seen on a block. */
class BlockTranslatorPayoffTest {
    private static final long BASE = 0x8000_0000L;
    private static final long WINDOW = TranslationPayoff.WINDOW;

    private final Counter regions = new Counter(new CounterKey("translator", "regions", CostCategory.NONE));
    private final Counter translated = new Counter(new CounterKey("translator", "instructions", CostCategory.NONE));
    private final BlockTranslator translator = new BlockTranslator(new TranslatorConfig(100, 64),
            new FlatRam(BASE, 64 << 10), new long[Tlb.LENGTH], regions, translated, null);
    private final DecodedPage page = new DecodedPage(BASE);
    private final DecodedPage otherPage = new DecodedPage(BASE + 0x1000);
    private final Block block = Blocks.ofWords(0, addi(A0, A0, 1), beq(A0, A1, -4));
    private int nextSlot = 16;
    private long window;
    private Block lastWasted;

    BlockTranslatorPayoffTest() {
        page.store(block);
        translator.arm(block);
    }

    /** Calls translate as the interpreter does each time a block's heat runs out, until it is translated. */
    private int heatRunsUntilTranslated(Block hot) {
        int runs = 0;
        while (hot.code == null && runs < 100) {
            assertThat(translator.translate(hot, page)).isTrue();
            runs++;
        }
        return runs;
    }

    private int heatRunsUntilTranslated() {
        return heatRunsUntilTranslated(block);
    }

    /** Ends the current window (the hart asks for finished code at the start of each run). */
    private void endWindow() {
        translator.attachFinished(++window * WINDOW);
    }

    /** Has another block of the page translated, its region never run, and judged (two windows later). */
    private void wasteARegion() {
        lastWasted = Blocks.ofWords(nextSlot, addi(A2, A2, 1), beq(A2, A3, -4));
        nextSlot += 16;
        page.store(lastWasted);
        translator.arm(lastWasted);
        assertThat(heatRunsUntilTranslated(lastWasted)).isLessThan(100);
        endWindow();
        endWindow();
    }

    @Test
    void aBlockIsArmedWithTheBase() {
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(100);
    }

    /**
     * A block longer than {@link BlockTranslator#LENGTH_UNIT} instructions counts for more per execution, so that every
     * block runs about as many instructions before it is translated (straight-line code comes in blocks of 64, each
     * run once per pass); a shorter one counts one per execution.
     */
    @Test
    void aLongBlockIsArmedWithFewerExecutions() {
        Block straight = straightLine(64);
        translator.arm(straight);
        assertThat(straight.heat).as("100 x 16 / 64").isEqualTo(25);
        assertThat(straight.heatTarget).isEqualTo(100);

        Block justLonger = straightLine(BlockTranslator.LENGTH_UNIT + 1);
        translator.arm(justLonger);
        assertThat(justLonger.heat).as("100 x 16 / 17, rounded up").isEqualTo(95);
        Block unit = straightLine(BlockTranslator.LENGTH_UNIT);
        translator.arm(unit);
        assertThat(unit.heat).isEqualTo(100);
        assertThat(BlockTranslator.executions(straight, 0)).as("a zero base: translated at once").isZero();
        assertThat(BlockTranslator.executions(straight, 1)).as("at least one").isEqualTo(1);
    }

    /** With the threshold raised, a long block's further counting is weighted the same way. */
    @Test
    void aLongBlockCountsOnWithFewerExecutions() {
        wasteARegion();
        Block straight = straightLine(64);
        page.store(straight);
        translator.arm(straight);

        assertThat(translator.translate(straight, page)).isTrue();

        assertThat(straight.heatTarget).as("counts on to twice the base").isEqualTo(200);
        assertThat(straight.heat).isEqualTo(25);
        assertThat(straight.code).isNull();
    }

    /** A block of that many instructions (ADDIs), at a free slot of the page. */
    private Block straightLine(int length) {
        int[] words = new int[length];
        Arrays.fill(words, addi(A2, A2, 1));
        Block block = Blocks.ofWords(nextSlot, words);
        nextSlot += 2 * length;
        return block;
    }

    /** At the base threshold a block whose heat ran out is translated. */
    @Test
    void atTheBaseAHotBlockIsTranslated() {
        assertThat(heatRunsUntilTranslated()).isEqualTo(1);
        assertThat(regions.value()).isEqualTo(1);
    }

    /** Windows of interpreted code alone leave the threshold at the base. */
    @Test
    void coldWindowsAloneLeaveTheBase() {
        for (int i = 0; i < 40; i++) {
            endWindow();
        }
        assertThat(heatRunsUntilTranslated()).isEqualTo(1);
    }

    /**
     * After a region that never ran the threshold is twice the base: a block whose heat ran out at the base counts on
     * for another base's worth of executions, and is translated when that runs out too.
     */
    @Test
    void afterAWastedRegionABlockCountsOnToTheRaisedThreshold() {
        wasteARegion();

        assertThat(translator.translate(block, page)).isTrue();
        assertThat(block.code).isNull();
        assertThat(regions.value()).isEqualTo(1);
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(200);

        assertThat(heatRunsUntilTranslated()).isEqualTo(1);
        assertThat(regions.value()).isEqualTo(2);
    }

    /**
     * However many regions are wasted, the threshold stops at 16 times the base: 15 steps of the base, then a region.
     */
    @Test
    void theThresholdStopsAtSixteenTimesTheBase() {
        for (int i = 0; i < 10; i++) {
            wasteARegion();
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
        for (int i = 0; i < 4; i++) {
            wasteARegion(); // 16 times the base
        }
        translator.translate(block, page);
        assertThat(block.heat).isEqualTo(100);
        assertThat(block.heatTarget).isEqualTo(200);

        translator.ranTranslated((int) WINDOW);
        endWindow(); // carried by translated code: back to the base
        translator.translate(block, page);

        assertThat(block.code).isNotNull();
    }

    /**
     * A region its builder has not handed back for {@link TranslationPayoff#BEHIND_WINDOWS} whole windows (the JIT is
     * behind) doubles the threshold: the next hot block counts on instead of being asked for. Out for fewer windows
     * (being compiled, as regions are for a while), it is not behind.
     */
    @Test
    void aRegionNotBackForManyWindowsRaisesTheThreshold() {
        List<Runnable> held = new ArrayList<>();
        BlockTranslator slow = slowTranslator(held);
        Block first = armedLoop(slow, 0);
        Block second = armedLoop(slow, 16);
        Block third = armedLoop(slow, 32);

        assertThat(slow.translate(first, otherPage)).isTrue();
        assertThat(held).hasSize(1);
        int window = 1;
        for (; window <= TranslationPayoff.BEHIND_WINDOWS; window++) {
            slow.attachFinished(window * WINDOW);
        }
        assertThat(slow.translate(second, otherPage)).isTrue();
        assertThat(second.heatTarget).as("asked for at the base: not behind yet").isEqualTo(100);
        assertThat(held).hasSize(2);
        slow.attachFinished(window * WINDOW); // first has been out for BEHIND_WINDOWS whole windows

        assertThat(slow.translate(third, otherPage)).isTrue();
        assertThat(third.heatTarget).as("counts on to twice the base").isEqualTo(200);
        assertThat(held).hasSize(2);
    }

    /**
     * A region asked for before a window and attached within it is not behind, though the hart attaches it only when
     * it next asks for a region (translate attaches what is finished), so another is on its way at the window's end:
     * that one was asked for within the window.
     */
    @Test
    void aRegionBackWithinTheWindowIsNotBehindWhileANewerOneIsOnItsWay() {
        List<Runnable> held = new ArrayList<>();
        BlockTranslator slow = slowTranslator(held);
        Block first = armedLoop(slow, 0);
        Block second = armedLoop(slow, 16);
        Block third = armedLoop(slow, 32);

        assertThat(slow.translate(first, otherPage)).isTrue();
        slow.attachFinished(WINDOW); // first is on its way as the window begins
        held.get(0).run(); // built within the window
        assertThat(slow.translate(second, otherPage)).isTrue(); // asked for; first is attached
        assertThat(first.code).isNotNull();
        assertThat(second.code).isNull();
        slow.attachFinished(2 * WINDOW); // second, asked for within the window, is still on its way

        assertThat(slow.translate(third, otherPage)).isTrue();
        assertThat(third.heatTarget).as("the base: nothing was behind").isEqualTo(100);
        assertThat(held).hasSize(3);
    }

    /** A translator whose builder holds the tasks it is given (the test runs them, or not). */
    private BlockTranslator slowTranslator(List<Runnable> held) {
        return new BlockTranslator(new TranslatorConfig(100, 64, held::add), new FlatRam(BASE, 64 << 10),
                new long[Tlb.LENGTH], regions, translated, null);
    }

    /** A one-block loop stored at a slot of {@link #otherPage}, armed for a translator. */
    private Block armedLoop(BlockTranslator translator, int slot) {
        Block loop = Blocks.ofWords(slot, addi(A4, A4, 1), beq(A4, A5, -4));
        otherPage.store(loop);
        translator.arm(loop);
        return loop;
    }
}
