package io.vmmlab.runtime.board;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.OffHeapRam;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RamAllocatorTest {
    private static final long MIB = 1 << 20;

    @Test
    void guestsUpToTheDefaultSizeGetAnArrayLargerOnesRamOutsideTheHeap() {
        assertThat(RamAllocator.offHeap(null, 128 * MIB, true)).isFalse();
        assertThat(RamAllocator.offHeap(null, 256 * MIB, true)).isFalse();
        assertThat(RamAllocator.offHeap(null, 256 * MIB + 4096, true)).isTrue();
        assertThat(RamAllocator.offHeap(null, 2040 * MIB, true)).isTrue();
    }

    @Test
    void thePropertyOverridesTheChoiceWhereTheJvmAllows() {
        assertThat(RamAllocator.offHeap("heap", 1024 * MIB, true)).isFalse();
        assertThat(RamAllocator.offHeap("off-heap", 16 * MIB, true)).isTrue();
        assertThat(RamAllocator.offHeap("off-heap", 16 * MIB, false)).isFalse();
        assertThat(RamAllocator.offHeap(null, 1024 * MIB, false)).isFalse();
        assertThat(RamAllocator.offHeap("something", 16 * MIB, true)).isFalse();
    }

    @Test
    void theVmmsPartDoesNotDecideAndIsAllocatedToo() {
        GuestMemory small = RamAllocator.allocate(0x8000_0000L, 256 * MIB, 64 * MIB);
        GuestMemory large = RamAllocator.allocate(0x8000_0000L, 512 * MIB, 4096);

        assertThat(small).isInstanceOf(FlatRam.class);
        assertThat(small.range().size()).isEqualTo(320 * MIB);
        assertThat(large).isInstanceOf(OffHeapRam.class); // the build allows it on every JDK, as ./vmm does
        assertThat(large.range().size()).isEqualTo(512 * MIB + 4096);
        large.write64(0x8000_0000L + 512 * MIB, 7);
        assertThat(large.read64(0x8000_0000L + 512 * MIB)).isEqualTo(7);
    }

    @Test
    void badSizesAreRefusedAsBadInput() {
        assertThatIllegalArgumentException().isThrownBy(() -> RamAllocator.allocate(0x8000_0000L, 4097, 0))
                .withMessageContaining("multiple of 4 KiB");
        assertThatIllegalArgumentException().isThrownBy(() -> RamAllocator.allocate(0x8000_0000L, 4096L << 20, 0))
                .withMessageContaining("up to 2047 MiB");
        assertThatIllegalArgumentException().isThrownBy(() -> RamAllocator.allocate(0x8000_0000L, 2047 * MIB, MIB))
                .withMessage("2047 MiB of guest RAM and the 1 MiB the strategy keeps for the VMM exceed the largest"
                        + " RAM, 2047 MiB");
    }
}
