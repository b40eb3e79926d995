package io.vmmlab.api.memory;

/**
 * The RV64 page-table entry, PTE (Privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System"; Sv48, Sv57 and
 * the G-stage's Sv39x4 to Sv57x4 use the same format): flag bits, the physical page number, and building one. For everything that reads
 * or writes RISC-V page tables: the hart's walker, shadow and G-stage tables, paravirtual page-table checks, tests.
 */
public final class Pte {
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
    /** The physical page number field (44 bits from bit 10), shifted down. */
    public static final long PPN_MASK = (1L << 44) - 1;

    private Pte() {
    }

    /**
     * Tells whether a valid entry is a leaf (any of R, W, X set) rather than a pointer to the next table.
     *
     * @param pte the entry
     * @return true for a leaf
     */
    public static boolean isLeaf(long pte) {
        return (pte & (R | W | X)) != 0;
    }

    /**
     * Returns an entry's physical page number.
     *
     * @param pte the entry
     * @return the PPN
     */
    public static long ppn(long pte) {
        return (pte >>> 10) & PPN_MASK;
    }

    /**
     * Returns the page number of the root table an address-translation register points to: satp, vsatp and hgatp
     * keep it in the same 44-bit PPN field, from bit 0.
     *
     * @param atp the register's value
     * @return the root table's PPN
     */
    public static long rootPpn(long atp) {
        return atp & PPN_MASK;
    }

    /**
     * Returns the physical address an entry points to (its page or next table).
     *
     * @param pte the entry
     * @return the page address
     */
    public static long address(long pte) {
        return ppn(pte) << 12;
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
}
