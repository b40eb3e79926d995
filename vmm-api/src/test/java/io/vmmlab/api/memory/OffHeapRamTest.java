package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class OffHeapRamTest extends GuestRamContract {
    @Override
    GuestMemory create(long base, long size) {
        return new OffHeapRam(base, size);
    }

    @Test
    void theBuildLetsTestsUseIt() {
        // The build allows sun.misc.Unsafe's memory access on every JDK (the root pom's argLine), as ./vmm does.
        assertThat(HostUnsafe.usable()).isTrue();
    }

    @Test
    void reservesAPowerOfTwoPlusAnAccessBeyondTheRam() {
        OffHeapRam small = new OffHeapRam(0x8000_0000L, 0x3000);
        OffHeapRam exact = new OffHeapRam(0x8000_0000L, 0x4000);

        assertThat(small.hostLength()).isEqualTo(0x4000 + 8);
        assertThat(exact.hostLength()).isEqualTo(0x4000 + 8);
        assertThat(small.hostAddress()).isNotZero();
    }

    @Test
    void writesLandAtTheHostAddress() {
        OffHeapRam ram = new OffHeapRam(0x8000_0000L, 0x2000);

        ram.write64(0x8000_1008L, 0x1122_3344_5566_7788L);

        assertThat(HostUnsafe.unsafe().getLong(ram.hostAddress() + 0x1008)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void pagesThatAreNotZeroAreClearedAndOnlyThey() {
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        long block = unsafe.allocateMemory(3 * 4096);
        try {
            unsafe.setMemory(block, 3 * 4096, (byte) 0);
            unsafe.putByte(block + 2 * 4096 - 1, (byte) 1); // the last byte of the second page
            unsafe.putByte(block + 3 * 4096 - 1, (byte) 2); // the third page, outside the length cleared

            OffHeapRam.clearDirtyPages(unsafe, block, 2 * 4096);

            for (long at = block; at < block + 2 * 4096; at += 8) {
                assertThat(unsafe.getLong(at)).isZero();
            }
            assertThat(unsafe.getByte(block + 3 * 4096 - 1)).isEqualTo((byte) 2);
        } finally {
            unsafe.freeMemory(block);
        }
    }
}
