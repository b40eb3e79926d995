package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

final class HostPageMapTest {
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;

    @TempDir
    Path files;

    @Test
    void readsMapsLines() {
        assertThat(HostPageMap.MapsLine.parse("7f12a000-7f12c000 rw-p 00000000 00:00 0 "))
                .isEqualTo(new HostPageMap.MapsLine(0x7f12a000L, 0x7f12c000L, true));
        assertThat(HostPageMap.MapsLine.parse("55d0e000-55d2f000 rw-p 00000000 00:00 0          [heap]")
                .privateAnonymous()).isTrue();
        assertThat(HostPageMap.MapsLine.parse("7f00-8f00 rw-p 00001000 08:01 1234  /usr/lib/libc.so.6")
                .privateAnonymous()).as("a file").isFalse();
        assertThat(HostPageMap.MapsLine.parse("7f00-8f00 rw-s 00000000 00:01 77   /dev/zero (deleted)")
                .privateAnonymous()).as("shared").isFalse();
        assertThat(HostPageMap.MapsLine.parse("7ffc0000-7ffd0000 rw-p 00000000 00:00 0   [stack]")
                .privateAnonymous()).as("named, not the heap").isFalse();
        assertThat(HostPageMap.MapsLine.parse("7f00-8f00 rw-p 00000000 00:05 4711")
                .privateAnonymous()).as("a file without a path (an inode)").isFalse();
    }

    /** A block 16 bytes past a page boundary: each of its pages overlaps two host pages, and counts either. */
    @Test
    void aPageMayHoldDataWhenEitherHostPageItOverlapsIsResident() throws IOException {
        Path maps = maps("10000-20000 rw-p 00000000 00:00 0\n");
        Path pagemap = pagemap(0x10, 0, 0, PRESENT, 0, 0);

        BitSet pages = new HostPageMap(maps, pagemap).pagesThatMayHoldData(0x10010, 4 * 4096);

        assertThat(pages.stream().toArray()).containsExactly(1, 2);
    }

    @Test
    void swappedPagesMayHoldDataAndAnAlignedPageOverlapsOneHostPage() throws IOException {
        Path maps = maps("f000-11000 rw-p 00000000 00:00 0\n11000-20000 rw-p 00000000 00:00 0\n");
        Path pagemap = pagemap(0x10, PRESENT | 0x1234, 0, SWAPPED, 0x55 /* a frame number alone */);

        BitSet pages = new HostPageMap(maps, pagemap).pagesThatMayHoldData(0x10000, 4 * 4096);

        assertThat(pages.stream().toArray()).containsExactly(0, 2);
    }

    @Test
    void unknownOutsidePrivateAnonymousMappings() throws IOException {
        Path pagemap = pagemap(0x10, 0, 0, 0, 0);
        long address = 0x10000;
        long length = 4 * 4096;

        assertThat(new HostPageMap(maps("10000-12000 rw-p 00000000 00:00 0\n12000-14000 rw-p 0 08:01 9 /data\n"),
                pagemap).pagesThatMayHoldData(address, length)).as("part in a file").isNull();
        assertThat(new HostPageMap(maps("10000-12000 rw-p 00000000 00:00 0\n13000-14000 rw-p 0 00:00 0\n"),
                pagemap).pagesThatMayHoldData(address, length)).as("a hole").isNull();
        assertThat(new HostPageMap(maps("10000-13000 rw-p 00000000 00:00 0\n"),
                pagemap).pagesThatMayHoldData(address, length)).as("ends early").isNull();
        assertThat(new HostPageMap(maps("10000-14000 rw-s 00000000 00:00 0\n"),
                pagemap).pagesThatMayHoldData(address, length)).as("shared").isNull();
        assertThat(new HostPageMap(maps("garbage\n"), pagemap).pagesThatMayHoldData(address, length))
                .as("unreadable").isNull();
        assertThat(new HostPageMap(maps("10000-14000 rw-p 00000000 00:00 0\n"), files.resolve("missing"))
                .pagesThatMayHoldData(address, length)).as("no page map").isNull();
        assertThat(new HostPageMap(maps("10000-14000 rw-p 00000000 00:00 0\n"), pagemap(0x10, 0, 0))
                .pagesThatMayHoldData(address, length)).as("page map too short").isNull();
    }

    /**
     * This process's own block: fresh pages read as untouched, written or read ones as possibly holding data. Where
     * transparent huge pages are always on, a touch makes a whole 2 MiB page present: the counts are then in those.
     */
    @Test
    void tellsTheTouchedPagesOfAFreshBlock() throws IOException {
        HostPageMap pageMap = HostPageMap.ofThisProcess(HostUnsafe.unsafe().pageSize());
        assumeTrue(pageMap != null && Files.isReadable(Path.of("/proc/self/pagemap")), "needs Linux's /proc");
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        long length = 64L << 20; // above the C library's largest threshold for a mapping of its own
        long block = unsafe.allocateMemory(length);
        try {
            BitSet fresh = pageMap.pagesThatMayHoldData(block, length);
            unsafe.putByte(block + 1000 * 4096L + 100, (byte) 1);
            long ignored = unsafe.getLong(block + 3000 * 4096L + 200);
            BitSet touched = pageMap.pagesThatMayHoldData(block, length);

            int unit = hugePagesAlways() ? 512 : 1;
            assertThat(fresh).isNotNull();
            assertThat(fresh.cardinality()).as("fresh pages that may hold data").isLessThanOrEqualTo(2 * unit);
            assertThat(touched.get(1000)).as("written").isTrue();
            assertThat(touched.get(3000)).as("read (the zero page is mapped)").isTrue();
            assertThat(touched.cardinality()).isLessThanOrEqualTo(fresh.cardinality() + 4 * unit);
            assertThat(ignored).isZero();
        } finally {
            unsafe.freeMemory(block);
        }
    }

    private static boolean hugePagesAlways() throws IOException {
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(setting) && Files.readString(setting).contains("[always]");
    }

    private Path maps(String text) throws IOException {
        return Files.writeString(Files.createTempFile(files, "maps", ""), text);
    }

    /** A page map file with the given entries from host page {@code first} on (earlier entries are zero). */
    private Path pagemap(long first, long... entries) throws IOException {
        Path file = Files.createTempFile(files, "pagemap", "");
        ByteBuffer buffer = ByteBuffer.allocate(entries.length * Long.BYTES).order(ByteOrder.nativeOrder());
        for (long entry : entries) {
            buffer.putLong(entry);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(buffer.flip(), first * Long.BYTES);
        }
        return file;
    }
}
