package io.vmmlab.api.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The host blocks that released {@link OffHeapRam}s leave for the next ones of the same length in this JVM, as a
 * JVM's heap keeps the memory of collected arrays: a process that runs VMs one after another (the {@code compare}
 * command runs fifty) then reuses pages the kernel has already committed instead of faulting in fresh ones for every
 * VM (0.45 ms per MiB the guest touches), and does not hold one block per VM until a collection frees it. A few blocks
 * are kept ({@link #MAX_BLOCKS}, {@link #MAX_BYTES} in all); the others are freed. A block taken from here still holds
 * its last guest's data: {@link OffHeapRam} clears it like any block the allocator returns.
 */
final class OffHeapBlocks {
    /** The most blocks kept. */
    static final int MAX_BLOCKS = 4;
    /** The most bytes kept, all blocks' lengths together. */
    static final long MAX_BYTES = 2L << 30;

    private final List<Block> kept = new ArrayList<>();
    private long keptBytes;

    private record Block(long address, long length) {
    }

    /**
     * Takes a kept block of exactly this length, if there is one.
     *
     * @param length the block's length
     * @return its address, or 0 when none is kept
     */
    synchronized long take(long length) {
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (kept.get(i).length() == length) {
                keptBytes -= length;
                return kept.remove(i).address();
            }
        }
        return 0;
    }

    /**
     * Keeps a block that nothing uses any more, if there is room.
     *
     * @param address its address
     * @param length its length
     * @return true when kept; false when the caller must free it
     */
    synchronized boolean keep(long address, long length) {
        if (kept.size() >= MAX_BLOCKS || keptBytes + length > MAX_BYTES) {
            return false;
        }
        kept.add(new Block(address, length));
        keptBytes += length;
        return true;
    }
}
