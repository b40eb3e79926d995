package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.csr.CsrFile;
import io.vmmlab.cpu.csr.HypervisorCsrs;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TransformedInstruction;
import io.vmmlab.cpu.trap.TrapException;

import java.util.Arrays;

import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MXR;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_SUM;

/**
 * Walks Sv39, Sv48 and Sv57 page tables (Privileged spec, "Virtual-Address Translation Process"), and, with the H
 * extension, the two-stage translation of VS/VU-mode: {@code translate(va) = gstage(vsstage(va))}, where every
 * VS-stage page-table access is itself a guest-physical address translated by the G-stage (Sv39x4 to
 * Sv57x4, section "Two-Stage Address Translation").
 *
 * <p>A/D policy: the hardware sets A (and D on stores) itself, atomically under the RAM's atomic lock, after
 * the permission checks pass, as QEMU does (the spec's "Svadu-like" option). A PTE that changed under the walk
 * restarts it. PTE reserved bits 63:54 (N, PBMT, reserved) must be zero: Svnapot and Svpbmt are absent.
 * Every page-table access passes PMP as an S-mode access (an access fault of the original access type otherwise).
 */
public final class PageTableWalker {
    private final HartState state;
    private final CsrFile csrs;
    private final PhysicalMemory memory;
    private final TrapException trap;
    private final Counter walks;
    private final Counter guestStageWalks;
    private final PhysicalMemoryProtection protection;
    // log2 of the size of the last translate()'s first-stage leaf when it was a superpage, else 0.
    private int superpageShift;
    // Whether the last translate()'s first-stage path had G set in a PTE (a global mapping).
    private boolean global;
    // The G-stage translations cached, as hardware caches them (a "nested TLB"): per 4 KiB guest-physical page, its
    // supervisor-physical base and the leaf PTE as it is in memory after the walk (A, and D once a store set it).
    // Fully associative, replaced round-robin; emptied by flushGuestStage (hgatp writes, HFENCE.GVMA, host flushes,
    // reset). 32 entries, the order of hardware's nested TLBs: the size is a model parameter that hwassist's
    // overheads depend on (README, Results).
    private static final int GUEST_STAGE_ENTRIES = 32;
    private final long[] guestStageTags = new long[GUEST_STAGE_ENTRIES];
    private final long[] guestStageBases = new long[GUEST_STAGE_ENTRIES];
    private final long[] guestStageLeaves = new long[GUEST_STAGE_ENTRIES];
    // The leaf PTE (with its A/D update) of the last G-stage walk.
    private long guestStageLeaf;
    // Where the next G-stage translation goes.
    private int guestStageNext;

    /**
     * Creates the walker.
     *
     * @param state privilege and V bit
     * @param csrs satp, mstatus and the H registers
     * @param memory where page tables live
     * @param trap the hart's reusable trap
     * @param walks counts page-table levels read (both stages)
     * @param guestStageWalks counts G-stage walks (translations of a guest-physical address through hgatp; their
     *                        levels are also in {@code walks}, so this one is informational)
     * @param protection the PMP rules, which every page-table access must pass as an S-mode access
     */
    public PageTableWalker(HartState state, CsrFile csrs, PhysicalMemory memory, TrapException trap,
                           Counter walks, Counter guestStageWalks, PhysicalMemoryProtection protection) {
        this.state = state;
        this.csrs = csrs;
        this.memory = memory;
        this.trap = trap;
        this.walks = walks;
        this.guestStageWalks = guestStageWalks;
        this.protection = protection;
        flushGuestStage();
    }

    /**
     * Empties the cache of G-stage translations: hgatp changed, HFENCE.GVMA, the host changed page tables, a reset.
     * (SFENCE.VMA and HFENCE.VVMA order VS-stage translations only and leave it.)
     */
    public void flushGuestStage() {
        Arrays.fill(guestStageTags, -1);
    }

    /**
     * Drops the cached G-stage translations onto one supervisor-physical page: the host removed write permission to it
     * from the tables this hart walks (a cached leaf would still grant stores).
     *
     * @param physicalPage the page's base
     */
    public void flushGuestStageTo(long physicalPage) {
        for (int i = 0; i < GUEST_STAGE_ENTRIES; i++) {
            if (guestStageBases[i] == physicalPage) {
                guestStageTags[i] = -1;
            }
        }
    }

    /**
     * Translates a virtual address.
     *
     * @param va the virtual address
     * @param access {@link AccessType} constant
     * @param mode effective privilege of the access (after MPRV)
     * @param virtual effective V bit of the access
     * @param executeRead true for HLVX, which needs execute instead of read permission
     * @return the physical address
     * @throws TrapException a page fault, guest-page fault or access fault
     */
    public long translate(long va, int access, int mode, boolean virtual, boolean executeRead) {
        superpageShift = 0;
        global = false;
        if (mode == HartState.MACHINE) {
            return va;
        }
        long mstatus = csrs.mstatus;
        if (!virtual) {
            long satp = csrs.satp;
            int levels = AddressTranslation.levels(satp);
            if (levels == 0) {
                return va;
            }
            boolean sum = (mstatus & STATUS_SUM) != 0;
            boolean mxr = (mstatus & STATUS_MXR) != 0;
            return walk(va, va, access, mode == HartState.USER, sum, mxr, executeRead, Pte.rootPpn(satp), levels,
                    false, false);
        }
        HypervisorCsrs hypervisor = csrs.hypervisor();
        long vsatp = hypervisor.vsatp;
        int levels = AddressTranslation.levels(vsatp);
        long guestPhysical = va;
        if (levels != 0) {
            boolean sum = (hypervisor.vsstatus & STATUS_SUM) != 0;
            boolean mxr = ((hypervisor.vsstatus | mstatus) & STATUS_MXR) != 0;
            guestPhysical = walk(va, va, access, mode == HartState.USER, sum, mxr, executeRead,
                    Pte.rootPpn(vsatp), levels, false, true);
        }
        return gstage(guestPhysical, va, access, executeRead);
    }

    /**
     * Tells whether the last {@link #translate} found its leaf above level 0 in the first stage (satp's or vsatp's
     * tables): the 4 KiB TLB entry made from it is part of a superpage. (A G-stage superpage does not count: only
     * HFENCE.GVMA, which empties every TLB, orders changes to G-stage entries.)
     *
     * @return log2 of the superpage's size (21, 30, 39 or 48), or 0 when the leaf was a 4 KiB page
     */
    public int lastSuperpageShift() {
        return superpageShift;
    }

    /**
     * Tells whether the last {@link #translate} went through a first-stage PTE with G set: the mapping is global, in
     * every address space (a G bit in a non-leaf PTE makes every mapping below it global). False for Bare
     * translation and M-mode.
     *
     * @return true for a global mapping
     */
    public boolean lastWasGlobal() {
        return global;
    }

    /**
     * Translates a guest-physical address through the G-stage (hgatp) for an explicit access.
     *
     * @param guestPhysical the guest-physical address
     * @param va the original guest-virtual address, reported in xtval
     * @param access the original access type
     * @param executeRead HLVX semantics
     * @return the supervisor-physical address
     */
    long gstage(long guestPhysical, long va, int access, boolean executeRead) {
        return gstage(guestPhysical, va, access, access, executeRead, 0);
    }

    /**
     * Translates a guest-physical address through the G-stage.
     *
     * @param guestPhysical the guest-physical address
     * @param va the original guest-virtual address, reported in xtval
     * @param faultAccess the access type whose guest-page fault is raised (the original access)
     * @param checkAccess the access type whose permission the G-stage leaf must grant: implicit VS-stage
     *                    page-table reads are loads and A/D updates are stores, whatever the original access
     * @param executeRead HLVX semantics
     * @param tinst the htinst/mtinst value for a fault: a pseudoinstruction for implicit accesses, else 0
     * @return the supervisor-physical address
     */
    private long gstage(long guestPhysical, long va, int faultAccess, int checkAccess, boolean executeRead,
                        long tinst) {
        long hgatp = csrs.hypervisor().hgatp;
        int levels = AddressTranslation.levels(hgatp);
        if (levels == 0) {
            return guestPhysical;
        }
        boolean mxr = (csrs.mstatus & STATUS_MXR) != 0;
        long page = guestPhysical >>> 12;
        int slot = -1;
        for (int i = 0; i < GUEST_STAGE_ENTRIES; i++) {
            if (guestStageTags[i] == page) {
                if (grants(guestStageLeaves[i], checkAccess, mxr, executeRead)) {
                    return guestStageBases[i] | (guestPhysical & 0xfff);
                }
                slot = i; // walk, then refresh this entry
                break;
            }
        }
        guestStageWalks.increment();
        try {
            long result = walk(guestPhysical, va, checkAccess, true, false, mxr, executeRead,
                    Pte.rootPpn(hgatp) & ~3L, levels, true, false);
            if (slot < 0) {
                slot = guestStageNext;
                guestStageNext = (guestStageNext + 1) % GUEST_STAGE_ENTRIES;
            }
            guestStageTags[slot] = page;
            guestStageBases[slot] = result & ~0xfffL;
            guestStageLeaves[slot] = guestStageLeaf;
            return result;
        } catch (TrapException fault) {
            if (fault.cause() == AccessType.guestPageFault(checkAccess)) {
                throw trap.raise(AccessType.guestPageFault(faultAccess), va, fault.tval2(), tinst);
            }
            throw trap.raise(AccessType.accessFault(faultAccess), va);
        }
    }

    private long walk(long address, long faultAddress, int access, boolean user, boolean sum, boolean mxr,
                      boolean executeRead, long rootPpn, int levels, boolean gstage, boolean twoStage) {
        int addressBits = 12 + 9 * levels + (gstage ? 2 : 0);
        if (gstage ? (address >>> addressBits) != 0 : AddressTranslation.canonical(address, levels) != address) {
            throw fault(access, faultAddress, address, gstage);
        }
        restart:
        while (true) {
            if (!gstage) { // what a first-stage walk reports comes from its last attempt
                global = false;
                superpageShift = 0;
            }
            long table = rootPpn << 12;
            for (int level = levels - 1; level >= 0; level--) {
                int shift = 12 + 9 * level;
                long indexMask = (level == levels - 1 && gstage) ? 0x7ff : 0x1ff;
                long pteGuestPhysical = table + ((address >>> shift) & indexMask) * 8;
                long pteAddress = twoStage ? gstage(pteGuestPhysical, faultAddress, access, AccessType.LOAD, false,
                        TransformedInstruction.PTE_READ) : pteGuestPhysical;
                long pte = readPte(pteAddress, access, faultAddress);
                walks.increment();
                if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0)
                        || (pte >>> 54) != 0) {
                    throw fault(access, faultAddress, address, gstage);
                }
                long ppn = Pte.ppn(pte);
                if (!gstage && (pte & Pte.G) != 0) {
                    global = true;
                }
                if ((pte & (Pte.R | Pte.X)) == 0) {
                    table = ppn << 12;
                    continue;
                }
                checkPermissions(pte, access, user, sum, mxr, executeRead, faultAddress, address, gstage);
                if (!gstage && level > 0) {
                    superpageShift = shift;
                }
                long pageMask = (1L << shift) - 1;
                if (((ppn << 12) & pageMask) != 0) {
                    throw fault(access, faultAddress, address, gstage);
                }
                long wanted = pte | Pte.A | (access == AccessType.STORE ? Pte.D : 0);
                if (gstage) {
                    guestStageLeaf = wanted;
                }
                if (wanted != pte) {
                    if (twoStage) {
                        gstage(pteGuestPhysical, faultAddress, access, AccessType.STORE, false,
                                TransformedInstruction.PTE_WRITE);
                    }
                    if (!updatePte(pteAddress, pte, wanted, access, faultAddress)) {
                        continue restart;
                    }
                }
                return ((ppn << 12) & ~pageMask) | (address & pageMask);
            }
            throw fault(access, faultAddress, address, gstage);
        }
    }

    // Whether a cached G-stage leaf (valid, U set: its walk passed) lets an access through without a walk: the
    // access's permission, and A and, for a store, D already set (else the walk sets them).
    private static boolean grants(long leaf, int access, boolean mxr, boolean executeRead) {
        return permits(leaf, access, mxr, executeRead) && (leaf & Pte.A) != 0
                && (access != AccessType.STORE || (leaf & Pte.D) != 0);
    }

    // Whether a leaf's R/W/X bits allow an access (MXR makes X readable; HLVX reads need X instead of R).
    private static boolean permits(long pte, int access, boolean mxr, boolean executeRead) {
        return switch (access) {
            case AccessType.FETCH -> (pte & Pte.X) != 0;
            case AccessType.LOAD -> executeRead ? (pte & Pte.X) != 0
                    : (pte & Pte.R) != 0 || (mxr && (pte & Pte.X) != 0);
            default -> (pte & Pte.W) != 0;
        };
    }

    private void checkPermissions(long pte, int access, boolean user, boolean sum, boolean mxr,
                                  boolean executeRead, long faultAddress, long address, boolean gstage) {
        boolean userPage = (pte & Pte.U) != 0;
        if (user ? !userPage : (userPage && (access == AccessType.FETCH || !sum))) {
            throw fault(access, faultAddress, address, gstage);
        }
        if (!permits(pte, access, mxr, executeRead)) {
            throw fault(access, faultAddress, address, gstage);
        }
    }

    private long readPte(long pteAddress, int access, long faultAddress) {
        if (!protection.allows(pteAddress, 8, HartState.SUPERVISOR, AccessType.LOAD)) {
            throw trap.raise(AccessType.accessFault(access), faultAddress);
        }
        try {
            return memory.read(pteAddress, 8);
        } catch (MemoryAccessException e) {
            throw trap.raise(AccessType.accessFault(access), faultAddress);
        }
    }

    private boolean updatePte(long pteAddress, long expected, long wanted, int access, long faultAddress) {
        if (!protection.allows(pteAddress, 8, HartState.SUPERVISOR, AccessType.STORE)) {
            throw trap.raise(AccessType.accessFault(access), faultAddress);
        }
        synchronized (memory.atomicLock()) {
            try {
                if (memory.read(pteAddress, 8) != expected) {
                    return false;
                }
                memory.write(pteAddress, 8, wanted);
                return true;
            } catch (MemoryAccessException e) {
                throw trap.raise(AccessType.accessFault(access), faultAddress);
            }
        }
    }

    private TrapException fault(int access, long faultAddress, long address, boolean gstage) {
        if (gstage) {
            return trap.raise(AccessType.guestPageFault(access), faultAddress, address >>> 2, 0);
        }
        return trap.raise(AccessType.pageFault(access), faultAddress);
    }
}
