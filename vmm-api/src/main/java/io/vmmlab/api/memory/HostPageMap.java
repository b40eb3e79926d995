package io.vmmlab.api.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Asks the Linux kernel which pages of a host block may hold data, so that {@link BlockClearing} reads and clears
 * only those instead of every page of the block (reading a page faults it in: 25 ms for 128 MiB, more than the rest
 * of setting the RAM up).
 *
 * <p>A page of a private anonymous mapping that is neither present nor swapped out has never been written since the
 * kernel last dropped it, and reads as zero. {@code /proc/self/maps} tells whether the block lies in such mappings
 * only (no file, not shared), and {@code /proc/self/pagemap} tells, per host page, whether it is present or swapped
 * (bits 63 and 62 of its entry; readable without privileges since Linux 4.2, which hides only the frame numbers).
 * Elsewhere (another OS, no {@code /proc}, 4 KiB not the host page size, a file or shared mapping, anything that
 * cannot be read or parsed) the answer is "unknown" and the caller must treat every page as possibly dirty.
 */
final class HostPageMap implements BlockClearing.Residency {
    private static final Logger log = LoggerFactory.getLogger(HostPageMap.class);

    /** The page size this reader assumes for the host (and uses for the block's pages). */
    static final long PAGE = 4096;
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;

    private final Path maps;
    private final Path pagemap;

    /**
     * A reader of the given kernel files (tests pass others).
     *
     * @param maps the process's mapping list, as {@code /proc/self/maps}
     * @param pagemap the process's page map, as {@code /proc/self/pagemap}
     */
    HostPageMap(Path maps, Path pagemap) {
        this.maps = maps;
        this.pagemap = pagemap;
    }

    /**
     * The reader of this process's own maps, or null where the host is not Linux with 4 KiB pages.
     *
     * @param hostPageSize the host's page size ({@code Unsafe.pageSize()})
     * @return the reader, or null
     */
    static HostPageMap ofThisProcess(int hostPageSize) {
        if (hostPageSize != PAGE || !System.getProperty("os.name", "").equals("Linux")) {
            return null;
        }
        return new HostPageMap(Path.of("/proc/self/maps"), Path.of("/proc/self/pagemap"));
    }

    /**
     * Tells which 4 KiB pages of a block may hold data: page {@code k} covers {@code [address + k * 4096,
     * address + (k + 1) * 4096)}, which overlaps two host pages when the block is not page aligned; it may hold data
     * when either of them is present or swapped out.
     *
     * @param address the block's first byte
     * @param length its bytes, a multiple of 4 KiB
     * @return the pages that may hold data, or null when that cannot be told (every page may)
     */
    @Override
    public BitSet pagesThatMayHoldData(long address, long length) {
        try {
            if (length <= 0 || length % PAGE != 0 || !privateAnonymous(address, address + length)) {
                log.debug("Host block 0x{} lies outside private anonymous mappings: every page is read",
                        Long.toHexString(address));
                return null;
            }
            long firstHostPage = address / PAGE;
            int hostPages = Math.toIntExact((address + length - 1) / PAGE - firstHostPage + 1);
            long[] entries = entries(firstHostPage, hostPages);
            int pages = Math.toIntExact(length / PAGE);
            boolean aligned = address % PAGE == 0;
            BitSet mayHoldData = new BitSet(pages);
            // Host page i overlaps the block's page i and, when the block is not aligned, its page i - 1 too.
            // (A plain loop over an array: it runs once per block, so mostly in the JVM's bytecode interpreter.)
            for (int i = 0; i < hostPages; i++) {
                if ((entries[i] & (PRESENT | SWAPPED)) != 0) {
                    if (i < pages) {
                        mayHoldData.set(i);
                    }
                    if (!aligned && i > 0) {
                        mayHoldData.set(i - 1);
                    }
                }
            }
            return mayHoldData;
        } catch (IOException | RuntimeException e) {
            log.debug("The host's page map cannot tell which pages hold data ({}): every page is read", e.toString());
            return null;
        }
    }

    /** Tells whether [start, end) lies wholly in private mappings of no file (read from the maps file). */
    private boolean privateAnonymous(long start, long end) throws IOException {
        long covered = start;
        try (BufferedReader reader = Files.newBufferedReader(maps)) {
            String line;
            while ((line = reader.readLine()) != null && covered < end) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ', dash + 1);
                if (dash <= 0 || space < 0) {
                    throw new IllegalArgumentException("not a maps line: " + line);
                }
                if (Long.parseUnsignedLong(line, dash + 1, space, 16) <= covered) {
                    continue; // ends before the part still to cover (only such lines need no full reading)
                }
                MapsLine mapping = MapsLine.parse(line);
                if (mapping.start() > covered || !mapping.privateAnonymous()) {
                    return false; // a hole, or a mapping whose untouched pages need not read as zero
                }
                covered = mapping.end();
            }
        }
        return covered >= end;
    }

    /** Reads the page map entries of {@code count} host pages from page {@code first} on. */
    private long[] entries(long first, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(count, Long.BYTES)).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(pagemap, StandardOpenOption.READ)) {
            long position = first * Long.BYTES;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("page map ends early");
                }
            }
        }
        long[] entries = new long[count];
        buffer.flip().asLongBuffer().get(entries);
        return entries;
    }

    /**
     * One line of a maps file: {@code start-end perms offset dev inode [path]}, addresses in hex.
     *
     * @param start the mapping's first address
     * @param end the address after it
     * @param privateAnonymous whether it is private ({@code p}) and maps no file (inode 0, and no path or the
     *     {@code [heap]} of the C library)
     */
    record MapsLine(long start, long end, boolean privateAnonymous) {
        static MapsLine parse(String line) {
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 5) {
                throw new IllegalArgumentException("not a maps line: " + line);
            }
            int dash = fields[0].indexOf('-');
            long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
            String path = fields.length == 6 ? fields[5] : "";
            boolean anonymous = fields[4].equals("0") && (path.isEmpty() || path.equals("[heap]"));
            return new MapsLine(start, end, fields[1].length() == 4 && fields[1].charAt(3) == 'p' && anonymous);
        }
    }
}
