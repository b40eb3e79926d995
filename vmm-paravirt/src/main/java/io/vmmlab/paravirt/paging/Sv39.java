package io.vmmlab.paravirt.paging;

/**
 * Sv39 geometry (Privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System"); the entries themselves are
 * {@link io.vmmlab.api.memory.Pte}.
 */
public final class Sv39 {
    /** Page size. */
    public static final long PAGE_SIZE = 4096;
    /** Entries per table. */
    public static final int ENTRIES = 512;
    /** satp.MODE = Sv39. */
    public static final long SATP_MODE_SV39 = 8L << 60;
    /** The root level. */
    public static final int ROOT_LEVEL = 2;

    private Sv39() {
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
