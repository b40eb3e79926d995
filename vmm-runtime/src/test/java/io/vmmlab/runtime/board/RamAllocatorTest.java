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
    void ramGoesOutsideTheHeapWhereTheJvmAllowsUnlessThePropertySaysHeap() {
        assertThat(RamAllocator.offHeap(null, true)).isTrue();
        assertThat(RamAllocator.offHeap("off-heap", true)).isTrue();
        assertThat(RamAllocator.offHeap("something", true)).isTrue();
        assertThat(RamAllocator.offHeap("heap", true)).isFalse();
        assertThat(RamAllocator.offHeap(null, false)).isFalse();
        assertThat(RamAllocator.offHeap("off-heap", false)).isFalse();
    }

    @Test
    void theGuestsAndTheVmmsPartsAreAllocatedTogether() {
        GuestMemory ram = RamAllocator.allocate(0x8000_0000L, 16 * MIB, 4096);

        assertThat(ram).isInstanceOf(OffHeapRam.class); // the build allows it on every JDK, as ./vmm does
        assertThat(ram.range().size()).isEqualTo(16 * MIB + 4096);
        ram.write64(0x8000_0000L + 16 * MIB, 7);
        assertThat(ram.read64(0x8000_0000L + 16 * MIB)).isEqualTo(7);
    }

    @Test
    void thePropertyChoosesAnArray() {
        String before = System.getProperty(RamAllocator.PROPERTY);
        System.setProperty(RamAllocator.PROPERTY, "heap");
        try {
            GuestMemory ram = RamAllocator.allocate(0x8000_0000L, 16 * MIB, 4096);

            assertThat(ram).isInstanceOf(FlatRam.class);
            assertThat(ram.range().size()).isEqualTo(16 * MIB + 4096);
        } finally {
            if (before == null) {
                System.clearProperty(RamAllocator.PROPERTY);
            } else {
                System.setProperty(RamAllocator.PROPERTY, before);
            }
        }
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
