package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /**
     * The point of the class: 256 MiB of RAM, read through and written in one page, costs the host about nothing
     * (the pages read map the kernel's zero page, which no process's resident size counts). Linux only: it reads the
     * resident size from /proc.
     */
    @Test
    void onlyThePagesWrittenAreCommitted() throws IOException {
        Path statm = Path.of("/proc/self/statm");
        assumeTrue(Files.isReadable(statm), "needs Linux's /proc");
        long before = residentBytes(statm);

        OffHeapRam ram = new OffHeapRam(0x8000_0000L, 256L << 20);
        ram.write64(0x8000_0000L + (128L << 20), 1);
        long grown = residentBytes(statm) - before;

        assertThat(ram.read64(0x8000_0000L + (128L << 20))).isEqualTo(1);
        assertThat(grown).as("resident bytes grown").isLessThan(32L << 20);
    }

    private static long residentBytes(Path statm) throws IOException {
        return Long.parseLong(Files.readString(statm).trim().split(" ")[1]) * 4096;
    }

    /** Whether one thread or several read the block, every page ends zeroed, and nothing past the length. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void pagesThatAreNotZeroAreClearedAndOnlyThey(int readers) {
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        int pages = 7;
        long block = unsafe.allocateMemory((pages + 1) * 4096L);
        try {
            unsafe.setMemory(block, (pages + 1) * 4096L, (byte) 0);
            for (int page = 0; page < pages; page += 2) {
                unsafe.putByte(block + (page + 1) * 4096L - 1, (byte) 1); // the last byte of every other page
            }
            unsafe.putByte(block + (pages + 1) * 4096L - 1, (byte) 2); // a page outside the length cleared

            OffHeapRam.clearDirtyPages(unsafe, block, pages * 4096L, readers);

            for (long at = block; at < block + pages * 4096L; at += 8) {
                assertThat(unsafe.getLong(at)).as("offset %d", at - block).isZero();
            }
            assertThat(unsafe.getByte(block + (pages + 1) * 4096L - 1)).isEqualTo((byte) 2);
        } finally {
            unsafe.freeMemory(block);
        }
    }

    /** With a set of pages from the kernel's page map, only those pages are read and cleared. */
    @Test
    void clearsOnlyThePagesInTheSet() {
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        long block = unsafe.allocateMemory(4 * 4096L);
        try {
            unsafe.setMemory(block, 4 * 4096L, (byte) 7);
            BitSet pages = new BitSet();
            pages.set(1);
            pages.set(3);

            OffHeapRam.clearPages(unsafe, block, pages);

            assertThat(unsafe.getLong(block + 4096L - 8)).isEqualTo(0x0707_0707_0707_0707L);
            assertThat(unsafe.getLong(block + 4096L)).isZero();
            assertThat(unsafe.getLong(block + 2 * 4096L - 8)).isZero();
            assertThat(unsafe.getLong(block + 2 * 4096L)).isEqualTo(0x0707_0707_0707_0707L);
            assertThat(unsafe.getLong(block + 4 * 4096L - 8)).isZero();
        } finally {
            unsafe.freeMemory(block);
        }
    }

    /**
     * A released RAM's block goes to the next RAM of the same length, which still reads as zero (a size no other test
     * uses, so that no other RAM's block is given back in between).
     */
    @Test
    void aReleasedBlockIsReusedClearedAndTheOldRamRefusesAccesses() {
        OffHeapRam first = new OffHeapRam(0x8000_0000L, 0x2d000);
        first.write64(0x8000_0000L, -1);
        first.write64(0x8002_cff8L, -1);
        long block = first.hostAddress();

        first.release();
        first.release(); // again: nothing happens
        OffHeapRam second = new OffHeapRam(0x8000_0000L, 0x2d000);

        assertThat(second.hostAddress()).isEqualTo(block);
        assertThat(second.read64(0x8000_0000L)).isZero();
        assertThat(second.read64(0x8002_cff8L)).isZero();
        assertThatThrownBy(() -> first.read8(0x8000_0000L)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> first.write64(0x8000_0000L, 1)).isInstanceOf(MemoryAccessException.class);
        second.release();
    }
}
