package io.vmmlab.api.cpu;

import java.util.Locale;

/**
 * The largest page-based virtual-memory system a hart offers (Privileged spec, "Supervisor Address Translation and
 * Protection"): a hart that offers Sv57 also offers Sv48 and Sv39, as the spec requires, and with the H extension
 * the matching G-stage modes (Sv39x4 up to Sv57x4). {@code satp}, {@code vsatp} and {@code hgatp} ignore writes of
 * a mode the hart does not offer (WARL), which is how a kernel such as Linux finds the largest one. QEMU's
 * {@code virt} harts offer Sv57, the default here.
 */
public enum AddressTranslation {
    /** Three levels, 39-bit virtual addresses. */
    SV39(8, 3),
    /** Four levels, 48-bit virtual addresses. */
    SV48(9, 4),
    /** Five levels, 57-bit virtual addresses. */
    SV57(10, 5);

    private final int satpMode;
    private final int levels;

    AddressTranslation(int satpMode, int levels) {
        this.satpMode = satpMode;
        this.levels = levels;
    }

    /**
     * Parses a name as the command line gives it.
     *
     * @param name {@code sv39}, {@code sv48} or {@code sv57} (any case)
     * @return the mode
     * @throws IllegalArgumentException with a one-line reason for another name
     */
    public static AddressTranslation parse(String name) {
        for (AddressTranslation mode : values()) {
            if (mode.displayName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown page-table mode '" + name + "' (--mmu takes sv39, sv48 or sv57)");
    }

    /** Returns the lower-case name, such as {@code sv57}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the value of satp.MODE (and hgatp.MODE for the x4 variant) that selects this system. */
    public int satpMode() {
        return satpMode;
    }

    /** Returns the number of page-table levels. */
    public int levels() {
        return levels;
    }

    /** Returns the device tree's {@code mmu-type} of a hart that offers this system, such as {@code riscv,sv57}. */
    public String mmuType() {
        return "riscv," + displayName();
    }

    /**
     * Tells whether a hart offering this system accepts a satp (or vsatp, or hgatp) MODE value: Bare, and each
     * system up to this one.
     *
     * @param mode the MODE field (bits 63:60)
     * @return true when a write of it takes effect
     */
    public boolean accepts(long mode) {
        return mode == 0 || (mode >= SV39.satpMode && mode <= satpMode);
    }

    /**
     * Returns the page-table levels an address-translation register selects (satp, vsatp, or hgatp for the x4
     * variants, whose root just has two more index bits).
     *
     * @param atp the register's value
     * @return 3, 4 or 5 for Sv39, Sv48, Sv57; 0 for Bare and the reserved modes
     */
    public static int levels(long atp) {
        int mode = (int) (atp >>> 60);
        return mode >= 8 && mode <= 10 ? mode - 5 : 0;
    }

    /**
     * Sign-extends a virtual address from the top bit a translation of some levels uses: the canonical form, which
     * an address must have to be translated at all.
     *
     * @param va the address
     * @param levels 3, 4 or 5
     * @return the address with every bit above its top one a copy of it
     */
    public static long canonical(long va, int levels) {
        int unused = 64 - (12 + 9 * levels);
        return va << unused >> unused;
    }

    /**
     * Returns the smaller of two systems: what a guest gets when its VMM offers at most {@code other}.
     *
     * @param other the other system
     * @return the one with fewer levels
     */
    public AddressTranslation atMost(AddressTranslation other) {
        return compareTo(other) <= 0 ? this : other;
    }
}
