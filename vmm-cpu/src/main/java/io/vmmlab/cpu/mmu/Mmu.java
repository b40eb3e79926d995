package io.vmmlab.cpu.mmu;

import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.csr.CsrFile;
import io.vmmlab.cpu.csr.TranslationListener;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TrapException;

import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPP;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPP_SHIFT;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPRV;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPV;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MXR;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_SUM;

/**
 * The hart's memory interface: loads, stores and instruction fetch through per-context software TLBs, with
 * page-table walks on misses (Privileged spec, "Supervisor-Level ISA", virtual memory sections; "Memory
 * Privilege in mstatus" for MPRV, SUM and MXR).
 *
 * <p>There is one {@link Tlb} per translation context (privilege level and V bit), so changing privilege only
 * switches TLBs; the U- and S-mode ones are kept per address space (a satp value with a non-zero ASID, or for
 * V=1 a vsatp value, {@link AddressSpaceTlbs}), so that a write back to a recent one keeps them. All TLBs are flushed
 * on hgatp writes, satp or vsatp writes with ASID 0, SFENCE.VMA without an address or ASID, HFENCE and when SUM or MXR
 * change; an SFENCE.VMA with an ASID keeps other spaces' entries and global ones ({@link AddressSpaceTlbs#fence}); an
 * SFENCE.VMA with an address drops that page's entries (and those of the superpage it lies in, see
 * {@link #fenceVma(long)}).
 * Loads and stores use the effective privilege (MPRV/MPP/MPV); fetches use the current one.
 *
 * <p>Misaligned accesses are emulated transparently: inside a page they go straight to RAM (which accepts any
 * alignment); across pages they are split into bytes, after both pages are translated, so a fault leaves memory
 * unchanged. A fault reports in xtval the original virtual address when the first page faults, else the first byte
 * of the second page (where the faulting part begins), for loads and stores alike.
 */
public final class Mmu implements TranslationListener {
    private static final int CONTEXTS = 8;
    /** The context bit for V=1. */
    private static final int VIRTUAL_CONTEXT = 4;
    /**
     * TLBs in {@link #tlbData()}: one per context (privilege | V << 2; 2, 6 and 7 unused), then the U and S pairs
     * of four more address spaces ({@link AddressSpaceTlbs}: the U/S and VU/VS contexts' TLBs and these four pairs
     * are its pool), a power of two in all.
     */
    private static final int TLBS = 16;
    /**
     * Where the machine-mode TLB's entries start in {@link #tlbData()}. Machine-mode loads and stores are not
     * translated, so every entry of that TLB maps a page onto itself: its addend is always 0 (translated code uses
     * this to keep the addend's load off the path from an address to its data).
     */
    public static final int MACHINE_TLB_BASE = HartState.MACHINE * Tlb.LENGTH;
    /**
     * Flag of {@link #dataContext()}: loads and stores are not translated (machine mode), no device window
     * covers RAM and no locked PMP entry restricts machine mode, so every load inside RAM reads RAM at its own
     * address.
     */
    public static final int UNTRANSLATED_RAM = 1;

    private final HartState state;
    private final PhysicalMemory memory;
    private final GuestMemory ram;
    private final TrapException trap;
    private final Counter flushes;
    private final long[] tlbData = new long[TLBS * Tlb.LENGTH];
    private final Tlb[] tlbs = new Tlb[TLBS];
    private final AddressSpaceTlbs spaces;
    private final PhysicalMemoryProtection protection = new PhysicalMemoryProtection();
    private CsrFile csrs;
    private PageTableWalker walker;
    private Tlb fetchTlb;
    private Tlb dataTlb;
    private int dataMode;
    private boolean dataVirtual;
    private long permissionKey = -1;
    /** Until the first look at the device windows, assume one covers RAM. */
    private boolean devicesOverlayRam = true;
    private int dataContext;
    private boolean partialFetch;

    /**
     * Creates the MMU; {@link #connect} completes the wiring.
     *
     * @param state privilege and V bit
     * @param memory the physical address space
     * @param trap the hart's reusable trap
     * @param flushes counts architectural TLB flushes
     */
    public Mmu(HartState state, PhysicalMemory memory, TrapException trap, Counter flushes) {
        this.state = state;
        this.memory = memory;
        this.ram = memory.ram();
        this.trap = trap;
        this.flushes = flushes;
        for (int i = 0; i < TLBS; i++) {
            tlbs[i] = new Tlb(tlbData, i * Tlb.LENGTH);
        }
        Tlb[] user = new Tlb[AddressSpaceTlbs.PAIRS];
        Tlb[] supervisor = new Tlb[AddressSpaceTlbs.PAIRS];
        for (int i = 0; i < AddressSpaceTlbs.PAIRS; i++) {
            int first = i == 0 ? HartState.USER : i == 1 ? VIRTUAL_CONTEXT : CONTEXTS + 2 * (i - 2);
            user[i] = tlbs[first];
            supervisor[i] = tlbs[first + HartState.SUPERVISOR];
        }
        spaces = new AddressSpaceTlbs(user, supervisor);
        assert tlbs[HartState.MACHINE].base == MACHINE_TLB_BASE;
        fetchTlb = tlbs[HartState.MACHINE];
        dataTlb = fetchTlb;
        dataMode = HartState.MACHINE;
        dataContext = dataTlb.base;
    }

    /**
     * Completes the wiring (the CSR file and the MMU refer to each other).
     *
     * @param csrs the CSR file
     * @param walker the page-table walker
     */
    public void connect(CsrFile csrs, PageTableWalker walker) {
        this.csrs = csrs;
        this.walker = walker;
    }

    /** Returns the PMP rules this MMU enforces (the page-table walker checks its accesses against them too). */
    public PhysicalMemoryProtection protection() {
        return protection;
    }

    /**
     * A PMP register was written or the hart was reset: compiles the rules again and drops every TLB entry and cached
     * G-stage translation (each was checked against the old rules), without counting a TLB flush; the code stays
     * decoded.
     */
    @Override
    public void protectionChanged() {
        if (csrs == null) {
            return;
        }
        protection.load(csrs.pmp());
        flushEverything(); // the G-stage cache's entries passed the old rules' checks of the G-stage tables too
        updateContext();
    }

    /** Returns the physical address space. */
    public PhysicalMemory memory() {
        return memory;
    }

    /**
     * hgatp changed, or the hart was reset: these TLBs keep no VMIDs, so they drop everything. Not counted as a TLB
     * flush: the architecture does not flush on such a write (the guest's fence does, and is counted), and a TLB with
     * those tags would keep its entries.
     */
    @Override
    public void translationFlushed() {
        flushEverything();
        spaces.emptied(csrs == null ? 0 : csrs.satp, csrs == null ? 0 : csrs.hypervisor().vsatp);
        updateContext();
    }

    /**
     * vsatp was written: as {@link #satpWritten} for the VU- and VS-mode TLBs (the guest's address spaces, under
     * the current hgatp).
     */
    @Override
    public void vsatpWritten(long vsatp) {
        if (!spaces.select(true, vsatp)) {
            flushAll();
        }
        updateContext();
    }

    /**
     * satp was written: with a non-zero ASID the U- and S-mode TLBs switch to those of that address space, whose
     * entries stay from its last use ({@link AddressSpaceTlbs}); with ASID 0 every TLB is emptied. Not counted as a
     * TLB flush either way.
     */
    @Override
    public void satpWritten(long satp) {
        if (!spaces.select(false, satp)) {
            flushAll();
        }
        updateContext();
    }

    /** Returns the TLB of a translation context: the current address space's for U and S (V=0 or 1). */
    private Tlb contextTlb(int mode, boolean virtual) {
        if (mode > HartState.SUPERVISOR) {
            return tlbs[mode];
        }
        return mode == HartState.USER ? spaces.user(virtual) : spaces.supervisor(virtual);
    }

    // Drops every TLB entry and every cached G-stage translation (the walker is there once the MMU is connected).
    private void flushEverything() {
        flushAll();
        if (walker != null) {
            walker.flushGuestStage();
        }
    }

    private void flushAll() {
        for (Tlb tlb : tlbs) {
            tlb.flush();
        }
    }

    @Override
    public void translationContextChanged() {
        updateContext();
    }

    /** Re-selects the TLBs after a change of privilege, V bit or mstatus/vsstatus. */
    public void updateContext() {
        long mstatus = csrs == null ? 0 : csrs.mstatus;
        long vsstatus = csrs == null ? 0 : csrs.hypervisor().vsstatus;
        long key = (mstatus & (STATUS_SUM | STATUS_MXR)) | (vsstatus & (STATUS_SUM | STATUS_MXR)) << 2;
        if (key != permissionKey) {
            permissionKey = key;
            flushAll();
        }
        fetchTlb = contextTlb(state.mode, state.virtual);
        if (state.mode == HartState.MACHINE && (mstatus & STATUS_MPRV) != 0) {
            dataMode = (int) ((mstatus & STATUS_MPP) >>> STATUS_MPP_SHIFT);
            dataVirtual = dataMode != HartState.MACHINE && (mstatus & STATUS_MPV) != 0;
        } else {
            dataMode = state.mode;
            dataVirtual = state.virtual;
        }
        dataTlb = contextTlb(dataMode, dataVirtual);
        dataContext = dataTlb.base | (dataMode == HartState.MACHINE && !devicesOverlayRam
                && !protection.checksMachineMode() ? UNTRANSLATED_RAM : 0);
    }

    /**
     * Looks at the device windows again (a window may have been mapped over RAM since the last look); the hart
     * calls it whenever it starts running.
     */
    public void refreshDeviceWindows() {
        boolean overlay = memory.devicesOverlayRam();
        if (overlay != devicesOverlayRam) {
            devicesOverlayRam = overlay;
            updateContext();
        }
    }

    /**
     * Returns what translated code needs to know about loads and stores now: where the data TLB's entries start
     * in {@link #tlbData()} ({@code dataTlb().base}), plus {@link #UNTRANSLATED_RAM} when that applies.
     *
     * @return the TLB base, possibly with the flag
     */
    public int dataContext() {
        return dataContext;
    }

    /**
     * SFENCE.VMA with an address (rs1 != x0) and no ASID (rs2 = x0): drops that page's entries from every TLB, and
     * every entry of a superpage that entries were made from when the page lies in it (the fence covers the whole
     * leaf), see {@link Tlb#fencePage}; counted as a TLB flush.
     *
     * @param va the fenced virtual address
     */
    public void fenceVma(long va) {
        flushes.increment();
        for (Tlb each : tlbs) {
            each.fencePage(va);
        }
    }

    /**
     * SFENCE.VMA for one ASID (rs2 != x0), with an address (rs1 != x0) or without (-1): reaches only the TLBs of the
     * address spaces with that ASID under the fence's V bit (satp's with V=0, vsatp's with V=1), see
     * {@link AddressSpaceTlbs#fence}; counted as a TLB flush.
     *
     * @param va the fenced virtual address, or -1 for all
     * @param asid the ASID operand
     */
    public void fenceVma(long va, long asid) {
        flushes.increment();
        spaces.fence(state.virtual, asid, va);
    }

    /** SFENCE.VMA without an address, HFENCE: drops all cached translations; counted as a TLB flush. */
    public void fenceVma() {
        flushes.increment();
        flushAll();
    }

    /** HFENCE.GVMA: also drops the cached G-stage translations (after {@link #fenceVma()}, which counts the flush). */
    public void fenceGuestStage() {
        walker.flushGuestStage();
    }

    /**
     * FENCE.I: drops the decoded pages written since this hart's blocks of them were known current
     * ({@link PhysicalMemory#synchronizeCode}), and the fetch entries when that dropped any.
     */
    public void fenceInstructions() {
        if (memory.synchronizeCode()) {
            for (Tlb tlb : tlbs) {
                tlb.flushFetches();
            }
        }
    }

    /**
     * The hart starts running: if another hart has made a page a code page since this one last looked, its store
     * entries go first (one may be a fast way into that page), see {@link CodeCoherence}.
     */
    public void enterRun() {
        if (memory.enterRun()) {
            for (Tlb tlb : tlbs) {
                tlb.flushStores();
            }
        }
        memory.caughtUp();
    }

    /** The hart stops running. */
    public void leaveRun() {
        memory.leaveRun();
    }

    /**
     * Returns the TLB that loads and stores use now (it changes only with privilege, V and MPRV, that is, on
     * traps, xRET and CSR writes). The interpreter reads its arrays directly on its fast paths.
     *
     * @return the data TLB
     */
    public Tlb dataTlb() {
        return dataTlb;
    }

    /**
     * Returns the TLB that fetches use now (it changes only with privilege and V, on traps, xRET and CSR writes).
     * The interpreter's hot loop reads it to follow control flow into another code page without leaving.
     *
     * @return the fetch TLB
     */
    public Tlb fetchTlb() {
        return fetchTlb;
    }

    /**
     * Returns the array that holds the load and store entries of all this hart's TLBs ({@link Tlb#data}); it never
     * changes, and {@code dataTlb().base} says where the current data TLB lies in it.
     *
     * @return the array, of {@code 16 * Tlb.LENGTH} longs
     */
    public long[] tlbData() {
        return tlbData;
    }

    // ---- loads ----

    public long load64(long va) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 7);
        if (data[entry + Tlb.LOAD_TAG] == va >>> 12) {
            return ram.read64(va + data[entry + Tlb.LOAD_ADDEND]);
        }
        return loadSlow(va, 8);
    }

    public int load32(long va) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 3);
        if (data[entry + Tlb.LOAD_TAG] == va >>> 12) {
            return ram.read32(va + data[entry + Tlb.LOAD_ADDEND]);
        }
        return (int) loadSlow(va, 4);
    }

    public int load16(long va) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 1);
        if (data[entry + Tlb.LOAD_TAG] == va >>> 12) {
            return ram.read16(va + data[entry + Tlb.LOAD_ADDEND]);
        }
        // A device should answer zero-extended (MmioDevice.read); bits above the access are ignored if it does not.
        return (int) loadSlow(va, 2) & 0xffff;
    }

    public int load8(long va) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va);
        if (data[entry + Tlb.LOAD_TAG] == va >>> 12) {
            return ram.read8(va + data[entry + Tlb.LOAD_ADDEND]);
        }
        // As in load16: LBU takes this value as it is.
        return (int) loadSlow(va, 1) & 0xff;
    }

    /**
     * Loads through translation: the slow path behind the TLB fast paths (TLB misses, device windows, accesses
     * that cross a page).
     *
     * @param va virtual address
     * @param size 1, 2, 4 or 8
     * @return the value, zero-extended
     * @throws TrapException on a page fault or access fault
     */
    public long loadSlow(long va, int size) {
        if ((va & 0xfff) + size > 4096) {
            long value = 0;
            for (int i = 0; i < size; i++) {
                value |= (long) load8(va + i) << (8 * i);
            }
            return value;
        }
        long pa = translate(va, AccessType.LOAD, size);
        try {
            return memory.read(pa, size);
        } catch (MemoryAccessException e) {
            throw trap.raise(AccessType.accessFault(AccessType.LOAD), va);
        }
    }

    // ---- stores ----

    public void store64(long va, long value) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 7);
        if (data[entry + Tlb.STORE_TAG] == va >>> 12) {
            ram.write64(va + data[entry + Tlb.STORE_ADDEND], value);
            return;
        }
        storeSlow(va, 8, value);
    }

    public void store32(long va, int value) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 3);
        if (data[entry + Tlb.STORE_TAG] == va >>> 12) {
            ram.write32(va + data[entry + Tlb.STORE_ADDEND], value);
            return;
        }
        storeSlow(va, 4, value);
    }

    public void store16(long va, int value) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va + 1);
        if (data[entry + Tlb.STORE_TAG] == va >>> 12) {
            ram.write16(va + data[entry + Tlb.STORE_ADDEND], value);
            return;
        }
        storeSlow(va, 2, value);
    }

    public void store8(long va, int value) {
        long[] data = dataTlb.data;
        int entry = dataTlb.position(va);
        if (data[entry + Tlb.STORE_TAG] == va >>> 12) {
            ram.write8(va + data[entry + Tlb.STORE_ADDEND], value);
            return;
        }
        storeSlow(va, 1, value);
    }

    /**
     * Stores through translation: the slow path behind the TLB fast paths (TLB misses, device windows, pages
     * that hold decoded code, accesses that cross a page).
     *
     * @param va virtual address
     * @param size 1, 2, 4 or 8
     * @param value the value (low {@code size} bytes are stored)
     * @throws TrapException on a page fault or access fault
     */
    public void storeSlow(long va, int size, long value) {
        if ((va & 0xfff) + size > 4096) {
            translate(va, AccessType.STORE, 4096 - (int) (va & 0xfff));
            // The second page at its first byte: a fault there reports where the faulting part begins, as a load's
            // byte-by-byte split does.
            translate((va + size - 1) & ~0xfffL, AccessType.STORE, (int) ((va + size) & 0xfff));
            for (int i = 0; i < size; i++) {
                store8(va + i, (int) (value >>> (8 * i)));
            }
            return;
        }
        long pa = translate(va, AccessType.STORE, size);
        try {
            memory.write(pa, size, value);
        } catch (MemoryAccessException e) {
            throw trap.raise(AccessType.accessFault(AccessType.STORE), va);
        }
    }

    // ---- translation ----

    /**
     * Translates a data address with the effective privilege and checks PMP, filling the TLB.
     *
     * @param va virtual address
     * @param access {@link AccessType#LOAD} or {@link AccessType#STORE}
     * @param size the access's size in bytes (it stays inside va's page)
     * @return the physical address
     * @throws TrapException on a page fault or access fault
     */
    public long translate(long va, int access, int size) {
        long[] data = dataTlb.data;
        long vpn = va >>> 12;
        int tag = dataTlb.position(va) + (access == AccessType.STORE ? Tlb.STORE_TAG : Tlb.LOAD_TAG);
        if ((data[tag] & ~Tlb.SLOW) == vpn) {
            return va + data[tag + 1];
        }
        long pa = walker.translate(va, access, dataMode, dataVirtual, false);
        long pageBase = pa & ~0xfffL;
        int kind = memory.classify(pageBase);
        if (kind == PhysicalMemory.NONE) {
            throw trap.raise(AccessType.accessFault(access), va);
        }
        int allowed = protection.pagePermissions(pageBase, dataMode);
        if (allowed == PhysicalMemoryProtection.NON_UNIFORM) {
            if (!protection.allows(pa, size, dataMode, access)) {
                throw trap.raise(AccessType.accessFault(access), va);
            }
            return pa; // not cached: the next access to this page is checked again
        }
        if ((allowed & PhysicalMemoryProtection.bit(access)) == 0) {
            throw trap.raise(AccessType.accessFault(access), va);
        }
        boolean fast = kind == PhysicalMemory.RAM && (access != AccessType.STORE || !memory.isCode(pageBase));
        dataTlb.fillData(tag, fast ? vpn : vpn | Tlb.SLOW, pageBase - (vpn << 12), walker.lastWasGlobal());
        dataTlb.markSuperpage(va, walker.lastSuperpageShift());
        return pa;
    }

    /**
     * Translates an address as HLV/HLVX/HSV do: as VS/VU-mode with privilege {@code hstatus.SPVP}, uncached.
     *
     * @param va guest-virtual address
     * @param access load or store
     * @param size the access's size in bytes (aligned)
     * @param mode hstatus.SPVP
     * @param executeRead HLVX
     * @return the physical address
     */
    public long translateVirtual(long va, int access, int size, int mode, boolean executeRead) {
        long pa = walker.translate(va, access, mode, true, executeRead);
        // HLVX: the physical attributes must grant execute as well as read.
        if (!protection.allows(pa, size, mode, access)
                || (executeRead && !protection.allows(pa, size, mode, AccessType.FETCH))) {
            throw trap.raise(AccessType.accessFault(access), va);
        }
        return pa;
    }

    /**
     * Returns the decoded-code page that holds a virtual pc.
     *
     * @param pc the fetch address
     * @return the page
     * @throws TrapException instruction page fault or access fault
     */
    public DecodedPage fetchPage(long pc) {
        partialFetch = false;
        Tlb tlb = fetchTlb;
        DecodedPage cached = tlb.cachedFetchPage(pc);
        if (cached != null) {
            return cached;
        }
        int index = (int) (pc >>> 12) & Tlb.MASK;
        long pa = walker.translate(pc, AccessType.FETCH, state.mode, state.virtual, false);
        int before = memory.codePageCount();
        boolean fetchable = memory.fetchable(pa & ~0xfffL);
        boolean whole = fetchable && executable(pa);
        // A page PMP makes executable in part: the instruction at pc may run if its own bytes are executable; the
        // page is not cached in the fetch TLB and the interpreter runs one instruction per fetch there.
        boolean partial = fetchable && !whole && executableHere(pa);
        DecodedPage page = whole || partial ? memory.codePage(pa) : null;
        if (page == null) {
            throw trap.raise(AccessType.accessFault(AccessType.FETCH), pc);
        }
        if (memory.codePageCount() != before) {
            for (Tlb each : tlbs) {
                each.flushStores();
            }
        }
        if (partial) {
            partialFetch = true;
            return page;
        }
        tlb.fillFetch(index, pc >>> 12, page, walker.lastWasGlobal());
        tlb.markSuperpage(pc, walker.lastSuperpageShift());
        return page;
    }

    /**
     * Tells whether PMP lets the current privilege execute in the page of a physical address: in all of it, so that
     * execution may go on inside the page without looking again (the fetch TLB caches it).
     */
    private boolean executable(long pa) {
        return protection.executableThroughout(pa & ~0xfffL, state.mode);
    }

    /**
     * Tells whether the last {@link #fetchPage} returned a page that PMP makes executable only in part (checked for
     * the instruction at its pc alone, not cached): the caller must fetch again before the next instruction.
     *
     * @return true after such a fetch
     */
    public boolean partialFetch() {
        return partialFetch;
    }

    // The instruction at pa (2 or 4 bytes, the part inside its page) may be fetched by the current privilege.
    private boolean executableHere(long pa) {
        if (!protection.allows(pa, 2, state.mode, AccessType.FETCH)) {
            return false;
        }
        if ((pa & 0xfff) == 0xffe || (ram.read16(pa) & 3) != 3) {
            return true; // compressed, or its upper parcel is fetched (and checked) through the next page
        }
        return protection.allows(pa + 2, 2, state.mode, AccessType.FETCH);
    }

    /**
     * Fetches a 16-bit parcel through translation, for instructions that cross a page boundary.
     *
     * @param pc the parcel's virtual address
     * @return the parcel, zero-extended
     */
    public int fetchParcel(long pc) {
        DecodedPage page = fetchPage(pc);
        return ram.read16(page.physicalBase() + (pc & 0xfff));
    }

    /**
     * Drops every TLB entry without counting an architectural flush, keeping decoded code (the host rewrote page
     * tables, not code).
     */
    public void flushTranslations() {
        flushEverything();
        updateContext();
    }

    /**
     * Drops the TLB entries of a virtual range without counting an architectural flush, keeping decoded code (the
     * host removed the range's entries from page tables this hart walks). Drops whole TLB slots: entries of other
     * pages that share a slot with one of the range go too; a range of more pages than a TLB has slots drops
     * everything.
     *
     * @param virtualAddress the range's first address
     * @param length its length in bytes
     */
    public void flushTranslations(long virtualAddress, long length) {
        if (length <= 0) {
            return;
        }
        walker.flushGuestStage(); // the tables may be G-stage ones
        long first = virtualAddress >>> 12;
        long end = (virtualAddress + length + 0xfff) >>> 12;
        if (end - first >= Tlb.SIZE || end < first) {
            flushTranslations();
            return;
        }
        for (long page = first; page != end; page++) {
            int index = (int) page & Tlb.MASK;
            for (Tlb each : tlbs) {
                each.flushSlot(index);
            }
        }
    }

    /**
     * Drops the TLB entries through which a store reaches a physical page, without counting an architectural flush
     * (the host removed write permission to the page from page tables this hart walks); loads and fetches keep theirs.
     *
     * @param physicalPage the page's physical base
     */
    public void flushStoresTo(long physicalPage) {
        for (Tlb each : tlbs) {
            each.flushStoresTo(physicalPage);
        }
        walker.flushGuestStageTo(physicalPage); // the tables may be G-stage ones
    }

    /** Drops every TLB entry without counting an architectural flush (host flushes, resets). */
    public void reset() {
        permissionKey = -1;
        flushEverything();
        memory.clearCode();
        updateContext();
    }
}
