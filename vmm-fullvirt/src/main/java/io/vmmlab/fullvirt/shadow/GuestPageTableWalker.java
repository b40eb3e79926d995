package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;

import java.util.Arrays;

/**
 * Walks the guest's own Sv39, Sv48 or Sv57 tables in guest RAM with the guest's virtual privilege (Privileged spec,
 * "Virtual Address Translation Process"), the way the real hardware would if the guest ran in S-mode: U/S
 * distinction, SUM and MXR, superpage alignment, and the A and D updates the board's harts do in hardware. Table
 * pages outside guest RAM (the VMM's region, devices, nothing) give an access fault, so a guest cannot make the VMM
 * read anything but its own RAM.
 */
public final class GuestPageTableWalker {
    /** Access type: instruction fetch. */
    public static final int FETCH = 0;
    /** Access type: load. */
    public static final int LOAD = 1;
    /** Access type: store or AMO. */
    public static final int STORE = 2;
    private static final long BARE_PTE = Pte.V | Pte.R | Pte.W | Pte.X | Pte.A | Pte.D;

    private final GuestMemory guestRam;

    /**
     * Creates the walker.
     *
     * @param guestRam the guest's RAM only (never the VMM's region)
     */
    public GuestPageTableWalker(GuestMemory guestRam) {
        this.guestRam = guestRam;
    }

    /**
     * Translates one guest-virtual address.
     *
     * @param satp the guest's satp (Bare, Sv39, Sv48 or Sv57)
     * @param va the guest-virtual address
     * @param access {@link #FETCH}, {@link #LOAD} or {@link #STORE}
     * @param user true for the guest's virtual U-mode
     * @param sum the guest's sstatus.SUM
     * @param mxr the guest's sstatus.MXR
     * @param updateAccessed whether to set A (and D for stores) in the guest PTE, as the hardware does on a real
     *                       access; false for the VMM's own look-ups
     * @return the translation, or the fault the guest must see
     */
    public GuestTranslation walk(long satp, long va, int access, boolean user, boolean sum, boolean mxr,
                                 boolean updateAccessed) {
        if ((satp >>> 60) == 0) {
            return new GuestTranslation(-1, va, BARE_PTE, -1, new long[0]);
        }
        Visit visit = new Visit();
        long result = translate(satp, va, access, user, sum, mxr, updateAccessed, visit);
        if (result < 0) {
            return new GuestTranslation((int) (-result - 1), 0, 0, -1, new long[0]);
        }
        return new GuestTranslation(-1, result, visit.leafPte, visit.leafLevel,
                Arrays.copyOf(visit.tables, visit.depth));
    }

    /**
     * Translates one guest-virtual address like {@link #walk}, without building a {@link GuestTranslation}: for the
     * VMM's frequent look-ups that need only the address (the binary translator checks the guest's mapping of every
     * indirect jump's target), which then allocate nothing.
     *
     * @param satp the guest's satp (Bare, Sv39, Sv48 or Sv57)
     * @param va the guest-virtual address
     * @param access {@link #FETCH}, {@link #LOAD} or {@link #STORE}
     * @param user true for the guest's virtual U-mode
     * @param sum the guest's sstatus.SUM
     * @param mxr the guest's sstatus.MXR
     * @param updateAccessed whether to set A (and D for stores) in the guest PTE, as in {@link #walk}
     * @return the guest-physical address, or {@code -1 - cause} for the fault the guest must see; under Bare, the
     *         address itself, except that one with bit 63 set (never guest RAM) is an access fault
     */
    public long physical(long satp, long va, int access, boolean user, boolean sum, boolean mxr,
                         boolean updateAccessed) {
        return translate(satp, va, access, user, sum, mxr, updateAccessed, null);
    }

    /** What a walk visited, for {@link #walk}'s result. */
    private static final class Visit {
        final long[] tables = new long[5];
        int depth;
        long leafPte;
        int leafLevel;
    }

    /** The walk itself: the guest-physical address or {@code -1 - cause}; fills {@code visit} when given. */
    private long translate(long satp, long va, int access, boolean user, boolean sum, boolean mxr,
                           boolean updateAccessed, Visit visit) {
        if ((satp >>> 60) == 0) {
            return va >= 0 ? va : -1 - accessFault(access);
        }
        int levels = ShadowPageTable.levelsFor(satp);
        if (AddressTranslation.canonical(va, levels) != va) {
            return -1 - pageFault(access);
        }
        long table = Pte.rootPpn(satp) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            if (!guestRam.range().contains(table, 4096)) {
                return -1 - accessFault(access);
            }
            if (visit != null) {
                visit.tables[visit.depth++] = table;
            }
            long pteAddress = table + ShadowPageTable.index(va, level) * 8;
            long pte = guestRam.read64(pteAddress);
            if ((pte & Pte.V) == 0 || (pte >>> 54) != 0
                    || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0)) {
                return -1 - pageFault(access);
            }
            long ppn = Pte.ppn(pte);
            if ((pte & (Pte.R | Pte.X)) == 0) {
                table = ppn << 12;
                continue;
            }
            if (!allowed(pte, access, user, sum, mxr)) {
                return -1 - pageFault(access);
            }
            long pageMask = (1L << (12 + 9 * level)) - 1;
            if (((ppn << 12) & pageMask) != 0) {
                return -1 - pageFault(access);
            }
            long wanted = pte | Pte.A | (access == STORE ? Pte.D : 0);
            if (updateAccessed && wanted != pte) {
                guestRam.write64(pteAddress, wanted);
                pte = wanted;
            }
            if (visit != null) {
                visit.leafPte = pte;
                visit.leafLevel = level;
            }
            return ((ppn << 12) & ~pageMask) | (va & pageMask);
        }
        return -1 - pageFault(access);
    }

    private static boolean allowed(long pte, int access, boolean user, boolean sum, boolean mxr) {
        boolean userPage = (pte & Pte.U) != 0;
        if (user ? !userPage : userPage && (access == FETCH || !sum)) {
            return false;
        }
        return switch (access) {
            case FETCH -> (pte & Pte.X) != 0;
            case LOAD -> (pte & Pte.R) != 0 || mxr && (pte & Pte.X) != 0;
            default -> (pte & Pte.W) != 0;
        };
    }

    /**
     * Returns the page-fault cause of an access type.
     *
     * @param access the access type
     * @return 12, 13 or 15
     */
    public static int pageFault(int access) {
        return switch (access) {
            case FETCH -> TrapCause.INSTRUCTION_PAGE_FAULT;
            case LOAD -> TrapCause.LOAD_PAGE_FAULT;
            default -> TrapCause.STORE_PAGE_FAULT;
        };
    }

    /**
     * Returns the access-fault cause of an access type.
     *
     * @param access the access type
     * @return 1, 5 or 7
     */
    public static int accessFault(int access) {
        return switch (access) {
            case FETCH -> TrapCause.INSTRUCTION_ACCESS_FAULT;
            case LOAD -> TrapCause.LOAD_ACCESS_FAULT;
            default -> TrapCause.STORE_ACCESS_FAULT;
        };
    }

    /**
     * One guest translation.
     *
     * @param fault the exception the guest must see, or -1 when the access is allowed
     * @param guestPhysical the guest-physical address
     * @param leafPte the guest's leaf PTE (after the A/D update); a synthesized RWX PTE under Bare
     * @param leafLevel the leaf's level (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB, 4 = 256 TiB), -1 under Bare
     * @param tables the guest-physical addresses of the tables walked, root first
     */
    public record GuestTranslation(int fault, long guestPhysical, long leafPte, int leafLevel, long[] tables) {
        /** @return true when the guest's tables allow the access */
        public boolean allowed() {
            return fault < 0;
        }
    }
}
