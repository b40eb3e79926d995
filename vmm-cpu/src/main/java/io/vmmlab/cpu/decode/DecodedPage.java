package io.vmmlab.cpu.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pre-decoded code of one 4 KiB physical page: {@link Block}s indexed by the parcel they start at, built
 * lazily the first time execution reaches that parcel. A null entry means "not decoded yet", so invalidating is
 * clearing.
 *
 * <p>Instructions that cross into the next page are never part of a block here (their second half depends on
 * the virtual mapping of the next page), so each page's blocks depend only on the bytes of that page. A count
 * per parcel of the blocks that cover it lets a store find out cheaply whether it overwrote decoded code.
 * Blocks are linked to their successors in the same page ({@link Insn#taken()}, {@link Insn#fall()}). A block whose
 * successor in the page is not decoded yet waits on a list per parcel until it is, so that storing a block links its
 * predecessors without looking at every block of the page (the kernel's pages hold hundreds).
 */
public final class DecodedPage {
    /** Parcels per page. */
    public static final int SLOTS = 2048;

    private final long physicalBase;
    private final Block[] blocks = new Block[SLOTS];
    private final byte[] coverage = new byte[SLOTS];
    private final List<Block> live = new ArrayList<>();
    // Per parcel, the first block that waits for a block there to become its taken (fall-through) successor;
    // linked through Block.nextWaitingForTaken (nextWaitingForFall). A live block is on a list exactly while its
    // link is null and its successor slot lies in the page; a dropped block leaves its lists (remove).
    private final Block[] waitingForTaken = new Block[SLOTS];
    private final Block[] waitingForFall = new Block[SLOTS];
    private int generation;
    // PhysicalMemory's coherence bookkeeping: the page's shared write count (CodeCoherence) up to which its blocks are
    // known current, and whether every other hart had stopped storing to it fast when it was made.
    private int writesSeen;
    private boolean trusted;

    /**
     * Creates an empty page.
     *
     * @param physicalBase the page's physical address (4 KiB aligned)
     */
    public DecodedPage(long physicalBase) {
        this.physicalBase = physicalBase;
    }

    /** Returns the page's physical address. */
    public long physicalBase() {
        return physicalBase;
    }

    /**
     * Returns the count of writes into the page (shared by the harts, see {@code CodeCoherence}) up to which this
     * page's blocks are known to match memory.
     *
     * @return the count
     */
    public int writesSeen() {
        return writesSeen;
    }

    /**
     * Tells whether writes into the page by any hart are counted since the page was made (else FENCE.I drops it).
     *
     * @return true when trusted
     */
    public boolean trusted() {
        return trusted;
    }

    /**
     * Records the write count up to which the blocks match memory, and whether the page is trusted.
     *
     * @param writes the page's write count
     * @param trustedNow whether the page is trusted
     */
    public void markCurrent(int writes, boolean trustedNow) {
        this.writesSeen = writes;
        this.trusted = trustedNow;
    }

    /**
     * Returns how many times blocks of this page have been dropped (by invalidation, replacement or {@link #clear});
     * translated code made from the page's blocks is valid only while this is unchanged.
     *
     * @return the count
     */
    public int generation() {
        return generation;
    }

    /**
     * Returns the blocks, indexed by the parcel they start at; null where none is decoded yet. Shared with the
     * interpreter for speed: only {@link #store} and the invalidation methods may write it.
     *
     * @return the block array
     */
    public Block[] blocks() {
        return blocks;
    }

    /**
     * Stores a newly decoded block, replacing any block that starts at the same parcel, and links it with its
     * predecessors and successors in the page.
     *
     * @param block the block, which must lie inside this page
     */
    public void store(Block block) {
        int start = block.startSlot;
        if (blocks[start] != null) {
            remove(start);
        }
        blocks[start] = block;
        live.add(block);
        int end = block.endSlot();
        for (int slot = start; slot < end; slot++) {
            coverage[slot]++; // at most MAX_PARCELS (128) blocks cover a parcel: never wraps to 0
        }
        // Link it to its successors (or wait for them), and the predecessors waiting for it to it.
        block.last.taken = block.takenSlot >= 0 ? blocks[block.takenSlot] : null;
        block.last.fall = block.fallSlot >= 0 ? blocks[block.fallSlot] : null;
        if (block.takenSlot >= 0 && block.last.taken == null) {
            waitForTaken(block);
        }
        if (block.fallSlot >= 0 && block.last.fall == null) {
            waitForFall(block);
        }
        for (Block other = waitingForTaken[start]; other != null; other = other.nextWaitingForTaken) {
            other.last.taken = block;
        }
        waitingForTaken[start] = null;
        for (Block other = waitingForFall[start]; other != null; other = other.nextWaitingForFall) {
            other.last.fall = block;
        }
        waitingForFall[start] = null;
    }

    private void waitForTaken(Block block) {
        block.nextWaitingForTaken = waitingForTaken[block.takenSlot];
        waitingForTaken[block.takenSlot] = block;
    }

    private void waitForFall(Block block) {
        block.nextWaitingForFall = waitingForFall[block.fallSlot];
        waitingForFall[block.fallSlot] = block;
    }

    /** Takes a block off the list it waits on for its taken successor (it is on it while that link is null). */
    private void stopWaitingForTaken(Block block) {
        Block previous = null;
        for (Block other = waitingForTaken[block.takenSlot]; other != null; other = other.nextWaitingForTaken) {
            if (other == block) {
                if (previous == null) {
                    waitingForTaken[block.takenSlot] = other.nextWaitingForTaken;
                } else {
                    previous.nextWaitingForTaken = other.nextWaitingForTaken;
                }
                return;
            }
            previous = other;
        }
    }

    /** Takes a block off the list it waits on for its fall-through successor. */
    private void stopWaitingForFall(Block block) {
        Block previous = null;
        for (Block other = waitingForFall[block.fallSlot]; other != null; other = other.nextWaitingForFall) {
            if (other == block) {
                if (previous == null) {
                    waitingForFall[block.fallSlot] = other.nextWaitingForFall;
                } else {
                    previous.nextWaitingForFall = other.nextWaitingForFall;
                }
                return;
            }
            previous = other;
        }
    }

    private void remove(int start) {
        generation++;
        Block block = blocks[start];
        blocks[start] = null;
        live.remove(block);
        block.code = null;
        // A dropped block leaves the lists it waits on: a guest that keeps rewriting a block whose successor is never
        // decoded would otherwise pile dead blocks onto them.
        if (block.takenSlot >= 0 && block.last.taken == null) {
            stopWaitingForTaken(block);
        }
        if (block.fallSlot >= 0 && block.last.fall == null) {
            stopWaitingForFall(block);
        }
        for (Block other : live) {
            other.code = null; // translated regions span several blocks of the page, maybe this one
            if (other.last.taken == block) {
                other.last.taken = null;
                waitForTaken(other);
            }
            if (other.last.fall == block) {
                other.last.fall = null;
                waitForFall(other);
            }
        }
        int end = block.endSlot();
        for (int slot = start; slot < end; slot++) {
            coverage[slot]--;
        }
    }

    /**
     * Forgets the blocks that overlap a byte range written by a store.
     *
     * @param offset first byte written, within the page
     * @param size bytes written
     * @return true when a block was dropped
     */
    public boolean invalidate(int offset, int size) {
        if (live.isEmpty()) {
            return false;
        }
        int first = offset >> 1;
        int last = Math.min(SLOTS - 1, (offset + size - 1) >> 1);
        boolean covered = false;
        for (int slot = first; slot <= last; slot++) {
            covered |= coverage[slot] != 0;
        }
        if (!covered) {
            return false;
        }
        for (int start = Math.max(0, first - Block.MAX_PARCELS + 1); start <= last; start++) {
            Block block = blocks[start];
            if (block != null && block.endSlot() > first) {
                remove(start);
            }
        }
        return true;
    }

    /** Forgets every block of the page. */
    public void clear() {
        generation++;
        for (Block block : live) {
            block.code = null;
        }
        Arrays.fill(blocks, null);
        Arrays.fill(coverage, (byte) 0);
        Arrays.fill(waitingForTaken, null);
        Arrays.fill(waitingForFall, null);
        live.clear();
    }
}
