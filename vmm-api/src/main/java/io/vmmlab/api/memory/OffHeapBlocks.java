package io.vmmlab.api.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The host blocks that released {@link OffHeapRam}s leave for the next ones of the same length, as a JVM's heap keeps
 * the memory of collected arrays: a process that runs VMs one after another (the {@code compare} command runs fifty)
 * then reuses pages the kernel has already committed instead of faulting in fresh ones for every VM (0.45 ms per MiB
 * the guest touches), and does not hold one block per VM until a collection frees it. A few blocks are kept
 * ({@link #MAX_BLOCKS}, {@link #MAX_BYTES} in all, so one block of the largest RAM fits), the most recently given
 * back first: keeping one more pushes the oldest out, for its owner to free. A block taken from here still holds its
 * last guest's data: {@link OffHeapRam} clears it like any block the allocator returns.
 *
 * <p>{@link #SHARED} serves every RAM of the JVM, as the JVM's one heap would; tests make their own.
 */
final class OffHeapBlocks {
    /** The most blocks kept. */
    static final int MAX_BLOCKS = 4;
    /** The most bytes kept, all blocks' lengths together: 2 GiB of RAM reservations and their 8-byte tails. */
    static final long MAX_BYTES = (2L << 30) + MAX_BLOCKS * Long.BYTES;
    /** The blocks of this JVM's RAMs. */
    static final OffHeapBlocks SHARED = new OffHeapBlocks();

    // Oldest first.
    private final Deque<Block> kept = new ArrayDeque<>();
    private long keptBytes;

    /**
     * A host block.
     *
     * @param address its first byte
     * @param length its bytes
     */
    record Block(long address, long length) {
    }

    /**
     * Takes the most recently kept block of exactly this length, if there is one.
     *
     * @param length the block's length
     * @return its address, or 0 when none is kept
     */
    synchronized long take(long length) {
        for (Iterator<Block> newestFirst = kept.descendingIterator(); newestFirst.hasNext(); ) {
            Block block = newestFirst.next();
            if (block.length() == length) {
                newestFirst.remove();
                keptBytes -= length;
                return block.address();
            }
        }
        return 0;
    }

    /**
     * Keeps a block that nothing uses any more, pushing out the oldest ones while there are too many.
     *
     * @param address its address
     * @param length its length
     * @return the blocks not kept (the oldest ones pushed out, or this one when it alone is too large), which the
     *         caller must free
     */
    synchronized List<Block> keep(long address, long length) {
        List<Block> dropped = new ArrayList<>();
        if (length > MAX_BYTES) {
            dropped.add(new Block(address, length));
            return dropped;
        }
        kept.addLast(new Block(address, length));
        keptBytes += length;
        while (kept.size() > MAX_BLOCKS || keptBytes > MAX_BYTES) {
            Block oldest = kept.removeFirst();
            keptBytes -= oldest.length();
            dropped.add(oldest);
        }
        return dropped;
    }
}
