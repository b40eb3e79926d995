package io.vmmlab.cpu.decode;

import java.util.Arrays;

/**
 * The pre-decoded instructions of one 4 KiB physical page: one slot per 2-byte parcel, filled lazily the first
 * time the slot executes. A zero word means "not decoded yet", so invalidating is clearing.
 *
 * <p>Instructions that cross into the next page are never cached here (their second half depends on the
 * virtual mapping of the next page), so each page's slots depend only on the bytes of that page.
 */
public final class DecodedPage {
    /** Parcels per page. */
    public static final int SLOTS = 2048;

    private final long physicalBase;
    private final long[] slots = new long[SLOTS];

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
     * Returns the decoded slots, indexed by parcel: packed word in the low 32 bits, immediate in the high 32 bits,
     * zero when not decoded yet. Shared with the interpreter for speed.
     *
     * @return the slot array
     */
    public long[] slots() {
        return slots;
    }

    /**
     * Stores a decoded instruction.
     *
     * @param slot parcel index
     * @param decoded packed word (low 32 bits) and immediate (high 32 bits)
     */
    public void store(int slot, long decoded) {
        slots[slot] = decoded;
    }

    /**
     * Forgets the instructions that overlap a byte range written by a store.
     *
     * @param offset first byte written, within the page
     * @param size bytes written
     */
    public void invalidate(int offset, int size) {
        int first = Math.max(0, (offset >> 1) - 1);
        int last = Math.min(SLOTS - 1, (offset + size - 1) >> 1);
        for (int slot = first; slot <= last; slot++) {
            slots[slot] = 0;
        }
    }

    /** Forgets every instruction of the page. */
    public void clear() {
        Arrays.fill(slots, 0);
    }
}
