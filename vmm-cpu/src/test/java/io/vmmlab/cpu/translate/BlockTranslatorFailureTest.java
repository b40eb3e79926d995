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
import org.mockito.MockedStatic;

import java.util.ArrayList;
import java.util.List;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.beq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mockStatic;

/** A region whose building fails reaches its hart as a failure, and is no longer counted as out. */
class BlockTranslatorFailureTest {
    private static final long BASE = 0x8000_0000L;
    private static final long WINDOW = TranslationPayoff.WINDOW;

    private final Counter regions = new Counter(new CounterKey("translator", "regions", CostCategory.NONE));
    private final Counter translated = new Counter(new CounterKey("translator", "instructions", CostCategory.NONE));
    private final List<Runnable> held = new ArrayList<>();
    private final BlockTranslator translator = new BlockTranslator(new TranslatorConfig(100, 64, held::add),
            new FlatRam(BASE, 64 << 10), new long[Tlb.LENGTH], regions, translated, null);
    private final DecodedPage page = new DecodedPage(BASE);

    /**
     * An Error while a region is built (out of memory, a stack overflow) ends the builder's task normally and reaches
     * the hart when it next asks for finished regions, as a failure with the Error as its cause; the builder's thread
     * would otherwise die with it (its stack trace printed by the JVM) and the region stay out for good, which would
     * keep the JIT counted as behind and the hot threshold at its highest.
     */
    @Test
    void anErrorBuildingARegionReachesTheHart() {
        Block hot = armedLoop(0);
        assertThat(translator.translate(hot, page)).isTrue();
        assertThat(held).hasSize(1);

        buildFailing(held.get(0));

        assertThatThrownBy(() -> translator.attachFinished(WINDOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("translating a block failed")
                .hasCauseInstanceOf(StackOverflowError.class);
        assertThat(hot.code).isNull();
    }

    /** ... and the failed region is not out: windows after it do not count the JIT as behind. */
    @Test
    void aFailedRegionIsNotOut() {
        Block failing = armedLoop(0);
        assertThat(translator.translate(failing, page)).isTrue();
        buildFailing(held.get(0));
        assertThatThrownBy(() -> translator.attachFinished(WINDOW)).isInstanceOf(IllegalStateException.class);

        for (int window = 2; window <= TranslationPayoff.BEHIND_WINDOWS + 2; window++) {
            translator.attachFinished(window * WINDOW);
        }
        Block next = armedLoop(16);
        assertThat(translator.translate(next, page)).isTrue();
        assertThat(next.heatTarget).as("asked for at the base: nothing is behind").isEqualTo(100);
        assertThat(held).hasSize(2);
    }

    /** Runs the builder's task (on this thread) with code generation failing as a stack overflow would. */
    private static void buildFailing(Runnable task) {
        try (MockedStatic<CodeGenerator> generator = mockStatic(CodeGenerator.class)) {
            generator.when(() -> CodeGenerator.generate(any(), any(), anyInt(), anyLong(), anyBoolean(), anyLong(),
                    anyBoolean())).thenThrow(new StackOverflowError("deep"));
            task.run();
        }
    }

    /** A loop of one block in the page, armed with the base threshold and hot. */
    private Block armedLoop(int slot) {
        Block loop = Blocks.ofWords(slot, addi(A0, A0, 1), beq(A0, A1, -4));
        page.store(loop);
        translator.arm(loop);
        return loop;
    }
}
