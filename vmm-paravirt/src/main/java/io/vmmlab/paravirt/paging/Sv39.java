package io.vmmlab.paravirt.paging;

/**
 * Sv39 page-table entry fields and geometry (Privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System").
 */
public final class Sv39 {
    /** Valid. */
    public static final long V = 1;
    /** Readable. */
    public static final long R = 1 << 1;
    /** Writable. */
    public static final long W = 1 << 2;
    /** Executable. */
    public static final long X = 1 << 3;
    /** User-accessible. */
    public static final long U = 1 << 4;
    /** Global. */
    public static final long G = 1 << 5;
    /** Accessed. */
    public static final long A = 1 << 6;
    /** Dirty. */
    public static final long D = 1 << 7;
    /** Page size. */
    public static final long PAGE_SIZE = 4096;
    /** Entries per table. */
    public static final int ENTRIES = 512;
    /** satp.MODE = Sv39. */
    public static final long SATP_MODE_SV39 = 8L << 60;
    /** The root level. */
    public static final int ROOT_LEVEL = 2;
    private static final long PPN_MASK = (1L << 44) - 1;

    private Sv39() {
    }

    /**
     * Tells whether a valid entry is a leaf (any of R, W, X set).
     *
     * @param pte the entry
     * @return true for a leaf
     */
    public static boolean isLeaf(long pte) {
        return (pte & (R | W | X)) != 0;
    }

    /**
     * Returns the physical address an entry points to.
     *
     * @param pte the entry
     * @return the page address
     */
    public static long address(long pte) {
        return ((pte >>> 10) & PPN_MASK) << 12;
    }

    /**
     * Builds an entry.
     *
     * @param address a page-aligned physical address
     * @param flags the low flag bits
     * @return the entry
     */
    public static long entry(long address, long flags) {
        return (address >>> 12) << 10 | flags;
    }

    /**
     * Returns the satp value for a root table.
     *
     * @param root the root's physical address
     * @return satp with MODE = Sv39, ASID 0
     */
    public static long satp(long root) {
        return SATP_MODE_SV39 | root >>> 12;
    }

    /**
     * Returns a virtual address's index into the table of a level.
     *
     * @param virtualAddress the address
     * @param level 0 to 2
     * @return 0 to 511
     */
    public static int index(long virtualAddress, int level) {
        return (int) ((virtualAddress >>> (12 + 9 * level)) & 511);
    }
}
