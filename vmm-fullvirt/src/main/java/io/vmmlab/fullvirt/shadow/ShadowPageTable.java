package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;

/**
 * One shadow table tree, for one guest address space seen with one virtual privilege view: maps guest-virtual
 * pages to host-physical 4 KiB pages, with U=1 on every leaf since the hart runs all guest code in U-mode. Its
 * frames live in the VMM's private RAM. Leaves are always 4 KiB, even under a guest superpage, so that a single
 * guest page-table page can be write-protected. The tree has as many levels as the guest's own (Sv39 for a guest
 * running Bare or Sv39, Sv48 or Sv57 for one on those), so it covers the guest's whole virtual address space.
 */
public final class ShadowPageTable {
    private final GuestMemory physical;
    private final ShadowFrameAllocator frames;
    private final long root;
    private final int asid;
    private final int levels;

    /**
     * Creates an empty tree.
     *
     * @param physical the RAM the hart walks
     * @param frames where table frames come from
     * @param root the root frame, already allocated
     * @param asid the address-space id the real satp carries for this tree
     * @param levels 3, 4 or 5 (Sv39, Sv48, Sv57)
     */
    public ShadowPageTable(GuestMemory physical, ShadowFrameAllocator frames, long root, int asid, int levels) {
        if (levels < 3 || levels > 5) {
            throw new IllegalArgumentException("a shadow tree has 3 to 5 levels, not " + levels);
        }
        this.physical = physical;
        this.frames = frames;
        this.root = root;
        this.asid = asid;
        this.levels = levels;
    }

    /**
     * Returns how many levels the shadow of a guest address space has: as many as the guest's tables, and Sv39's
     * three for a guest running Bare (its identity map lies in RAM, below 2^38).
     *
     * @param guestSatp the guest's satp
     * @return 3, 4 or 5
     */
    public static int levelsFor(long guestSatp) {
        int levels = AddressTranslation.levels(guestSatp);
        return levels == 0 ? 3 : levels;
    }

    /** @return the real satp value that makes the hart walk this tree */
    public long satp() {
        return (long) (levels + 5) << 60 | (long) asid << 44 | root >>> 12;
    }

    /** @return the number of levels, 3 to 5 */
    public int levels() {
        return levels;
    }

    /** @return the root frame's physical address */
    public long root() {
        return root;
    }

    /**
     * Installs a 4 KiB leaf.
     *
     * @param va the guest-virtual address
     * @param hostPhysical the host-physical page
     * @param permissions R, W, X bits (U, A, D and V are added)
     * @return the physical address of the leaf PTE, or -1 when no frame was left for an intermediate table
     */
    public long install(long va, long hostPhysical, long permissions) {
        long table = root;
        for (int level = levels - 1; level > 0; level--) {
            long slot = table + index(va, level) * 8;
            long pte = physical.read64(slot);
            if ((pte & Pte.V) == 0) {
                long frame = frames.allocate();
                if (frame < 0) {
                    return -1;
                }
                pte = Pte.entry(frame, Pte.V);
                physical.write64(slot, pte);
            }
            table = Pte.address(pte);
        }
        long slot = table + index(va, 0) * 8;
        long dirty = (permissions & Pte.W) != 0 ? Pte.D : 0;
        physical.write64(slot, Pte.entry(hostPhysical,
                permissions | Pte.V | Pte.U | Pte.A | dirty));
        return slot;
    }

    /**
     * Clears the entry that covers {@code va} at a level (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB, 4 = 256 TiB),
     * dropping what it maps.
     *
     * @param va a guest-virtual address
     * @param level the level whose entry goes
     * @return true when a valid entry was cleared (the hart's TLB must then be flushed)
     */
    public boolean invalidate(long va, int level) {
        long table = root;
        for (int current = levels - 1; current > level; current--) {
            long pte = physical.read64(table + index(va, current) * 8);
            if ((pte & Pte.V) == 0) {
                return false;
            }
            table = Pte.address(pte);
        }
        long slot = table + index(va, level) * 8;
        if ((physical.read64(slot) & Pte.V) == 0) {
            return false;
        }
        physical.write64(slot, 0);
        return true;
    }

    /**
     * Returns the leaf PTE that maps {@code va}, for tests and diagnostics.
     *
     * @param va a guest-virtual address
     * @return the leaf, or 0 when none
     */
    public long leaf(long va) {
        long table = root;
        for (int level = levels - 1; level > 0; level--) {
            long pte = physical.read64(table + index(va, level) * 8);
            if ((pte & Pte.V) == 0) {
                return 0;
            }
            table = Pte.address(pte);
        }
        return physical.read64(table + index(va, 0) * 8);
    }

    static long index(long va, int level) {
        return (va >>> (12 + 9 * level)) & 0x1ff;
    }
}
