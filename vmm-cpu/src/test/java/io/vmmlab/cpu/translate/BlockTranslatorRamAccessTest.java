package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.HostUnsafe;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.cpu.mmu.Tlb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which RAM accessors the translator's code uses ({@link UnsafeRamAccess#covers}, {@link OffHeapRamAccess#covers},
 * decided per translator).
 */
class BlockTranslatorRamAccessTest {
    private static final long BASE = 0x8000_0000L;

    private static BlockTranslator translatorFor(long ramSize) {
        return translatorFor(new FlatRam(BASE, ramSize));
    }

    private static BlockTranslator translatorFor(GuestMemory ram) {
        return new BlockTranslator(new TranslatorConfig(0, 8192), ram, new long[Tlb.LENGTH],
                new Counter(new CounterKey("translator", "regions", CostCategory.NONE)),
                new Counter(new CounterKey("translator", "instructions", CostCategory.NONE)), null);
    }

    /** A power-of-two RAM gets the unchecked accessors wherever this JVM allows them at all. */
    @Test
    void aPowerOfTwoRamUsesTheUncheckedAccessorsWhereTheJvmAllows() {
        assertThat(translatorFor(64 << 10).uncheckedRamAccess()).isEqualTo(HostUnsafe.usable());
    }

    /** Another size's index mask reaches past its array: the checked accessors, always. */
    @Test
    void otherSizesUseTheCheckedAccessors() {
        assertThat(translatorFor(60 << 10).uncheckedRamAccess()).isFalse();
    }

    /** RAM outside the heap reserves a power of two past its size: unchecked for every size. */
    @Test
    void offHeapRamOfAnySizeUsesTheUncheckedAccessors() {
        assertThat(translatorFor(new OffHeapRam(BASE, 60 << 10)).uncheckedRamAccess()).isTrue();
        assertThat(translatorFor(new OffHeapRam(BASE, 64 << 10)).uncheckedRamAccess()).isTrue();
    }

    /** The off-heap accessors cover a block only if an 8-byte access at the largest masked index stays inside it. */
    @Test
    void offHeapAccessorsCoverOnlyBlocksLongerThanTheMaskByAnAccess() {
        int mask = MemoryEmitter.indexMask(60 << 10);

        assertThat(OffHeapRamAccess.covers(true, (64 << 10) + 8, mask)).isTrue();
        assertThat(OffHeapRamAccess.covers(true, mask + 8, mask)).isTrue();
        assertThat(OffHeapRamAccess.covers(true, mask + 7, mask)).isFalse();
        assertThat(OffHeapRamAccess.covers(false, (64 << 10) + 8, mask)).isFalse();
    }
}
