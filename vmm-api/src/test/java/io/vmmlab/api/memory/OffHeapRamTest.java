package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** A released RAM's block goes to its pool (not to the allocator, which might hand back the same address). */
    @Test
    void releasingGivesTheBlockToItsPoolOnceAndTheRamRefusesAccesses() {
        OffHeapBlocks pool = new OffHeapBlocks();
        OffHeapRam ram = new OffHeapRam(0x8000_0000L, 0x2d000, pool);
        long block = ram.hostAddress();

        ram.release();
        ram.release(); // again: nothing happens

        assertThat(pool.take(ram.hostLength())).isEqualTo(block);
        assertThat(pool.take(ram.hostLength())).isZero();
        HostUnsafe.unsafe().freeMemory(block);
        assertThatThrownBy(() -> ram.read8(0x8000_0000L)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> ram.write64(0x8000_0000L, 1)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(ram::hostAddress).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A kept block full of an earlier guest's data is reused and reads as zero, all of it: the RAM, the rest of its
     * power of two (the block may come from a larger RAM of the same power of two) and the tail past it.
     */
    @Test
    void aReusedBlockReadsAsZeroEverywhere() {
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        OffHeapBlocks pool = new OffHeapBlocks();
        long hostLength = 0x40000 + 8; // of RAMs from 0x20001 to 0x40000 bytes
        long dirty = unsafe.allocateMemory(hostLength);
        unsafe.setMemory(dirty, hostLength, (byte) 0x5a);
        assertThat(pool.keep(dirty, hostLength)).isEmpty();

        OffHeapRam ram = new OffHeapRam(0x8000_0000L, 0x21000, pool);

        assertThat(ram.hostAddress()).isEqualTo(dirty);
        for (long offset = 0; offset < hostLength; offset += 8) {
            assertThat(unsafe.getLong(dirty + offset)).as("offset 0x%x", offset).isZero();
        }
        ram.release();
        assertThat(pool.take(hostLength)).isEqualTo(dirty);
        unsafe.freeMemory(dirty);
    }
}
