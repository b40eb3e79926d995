package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.cpu.mmu.Tlb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which RAM accessors the translator's code uses ({@link UnsafeRamAccess#covers}, decided per translator). */
class BlockTranslatorRamAccessTest {
    private static final long BASE = 0x8000_0000L;

    private static BlockTranslator translatorFor(long ramSize) {
        return new BlockTranslator(new TranslatorConfig(0, 8192), new FlatRam(BASE, ramSize), new long[Tlb.LENGTH],
                new Counter(new CounterKey("translator", "regions", CostCategory.NONE)));
    }

    /** A power-of-two RAM gets the unchecked accessors wherever this JVM allows them at all. */
    @Test
    void aPowerOfTwoRamUsesTheUncheckedAccessorsWhereTheJvmAllows() {
        assertThat(translatorFor(64 << 10).uncheckedRamAccess()).isEqualTo(UnsafeRamAccess.usable());
    }

    /** Another size's index mask reaches past its array: the checked accessors, always. */
    @Test
    void otherSizesUseTheCheckedAccessors() {
        assertThat(translatorFor(60 << 10).uncheckedRamAccess()).isFalse();
    }
}
