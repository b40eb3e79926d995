package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker.GuestTranslation;
import io.vmmlab.fullvirt.shadow.WriteProtectTracker.TableUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Shadow paging: keeps one shadow context per guest address space (guest satp) with one shadow tree per virtual
 * privilege view (guest U-mode with MXR clear or set; guest S-mode with each SUM/MXR combination), fills them lazily
 * on shadow faults,
 * write-protects the guest's page-table pages so that PTE writes are traced and invalidate the derived shadow
 * entries, and never maps anything but guest RAM: device addresses are reported for MMIO emulation, anything else
 * becomes an access fault for the guest.
 */
public final class ShadowMmu {
    /** The view of guest U-mode (with sstatus.MXR clear). */
    public static final int VIEW_USER = 0;
    /** The view of guest U-mode with sstatus.MXR set, which makes its execute-only pages readable too. */
    private static final int VIEW_USER_MXR = 5;
    private static final int VIEWS = 6;
    private static final int MAX_CONTEXTS = 512;
    private static final int MAX_ASID = 0xffff;
    /** Traced writes to a page without a walk through it before it is no longer treated as a page table. */
    private static final int FLOOD_LIMIT = 64;
    private static final Logger log = LoggerFactory.getLogger(ShadowMmu.class);

    private final GuestMemory physical;
    private final GuestMemory guestRam;
    private final MmioBus mmio;
    private final ShadowFrameAllocator frames;
    private final GuestPageTableWalker walker;
    private final WriteProtectTracker tracker = new WriteProtectTracker();
    private final Map<Long, ShadowPageTable[]> contexts = new HashMap<>();
    private final long[] activeContexts;
    private final Counter fills;
    private final Counter tracedWrites;
    private final Counter tracedCodeWrites;
    private final Counter invalidations;
    private final Counter resets;
    private final Counter unshadowed;
    private final Counter contextsCreated;
    private final Counter dmaTraced;
    private int nextAsid = 1;
    private final PendingTlbFlush pendingFlush = new PendingTlbFlush();
    private TranslatedCodePages code = TranslatedCodePages.none();

    /**
     * Creates the shadow MMU.
     *
     * @param physical all RAM as the hart sees it (where shadow tables live)
     * @param guestRam the guest's RAM only
     * @param mmio the device windows
     * @param frames frames in the VMM's private region
     * @param harts number of harts
     * @param counters where to count
     */
    public ShadowMmu(GuestMemory physical, GuestMemory guestRam, MmioBus mmio, ShadowFrameAllocator frames, int harts,
                     Counters counters) {
        this.physical = physical;
        this.guestRam = guestRam;
        this.mmio = mmio;
        this.frames = frames;
        this.walker = new GuestPageTableWalker(guestRam);
        this.activeContexts = new long[harts];
        Arrays.fill(activeContexts, -1);
        this.fills = counters.counter("shadow", "fault-fill", CostCategory.PAGE_WALK);
        this.tracedWrites = counters.counter("shadow", "pte-write-traced", CostCategory.TRAP_ROUND_TRIP);
        this.tracedCodeWrites = counters.counter("shadow", "code-write-traced", CostCategory.TRAP_ROUND_TRIP);
        this.invalidations = counters.counter("shadow", "entry-invalidated", CostCategory.NONE);
        this.resets = counters.counter("shadow", "full-flush", CostCategory.TLB_FLUSH);
        this.unshadowed = counters.counter("shadow", "table-unshadowed", CostCategory.NONE);
        this.contextsCreated = counters.counter("shadow", "context-created", CostCategory.NONE);
        this.dmaTraced = counters.counter("shadow", "dma-write-traced", CostCategory.NONE);
    }

    /**
     * Switches the supervisor views to binary translation: guest pages are never executable there, and the window
     * of translated code is (execute-only, filled lazily like everything else). Guest accesses into the window are
     * access faults.
     *
     * @param virtualBase the window's guest-virtual base
     * @param physicalBase the translation cache's physical base, in VMM memory
     * @param size the window size
     * @param writtenCode called with the guest-physical page after a guest store to a page that holds translated
     *                    code (see {@link #protectCode})
     */
    public void enableTranslatedCode(long virtualBase, long physicalBase, long size, LongConsumer writtenCode) {
        this.code = new TranslatedCodePages(virtualBase, physicalBase, size, writtenCode);
    }

    /**
     * Write-protects a guest page that holds translated code in every shadow; a store to it is then traced.
     *
     * @param page the guest-physical page
     * @return true when a shadow entry lost its write permission: a hart's TLB may still hold it writable, and the
     *         caller must drop every hart's store translations of the page ({@code Hart.revokeWrite}) before any runs
     *         guest code again, or a store there would go unnoticed (this asks for no flush at the next binding)
     */
    public boolean protectCode(long page) {
        return code.protect(page) && writeProtect(page, false); // the caller revokes the harts' writes at once
    }

    /**
     * Hears of the host's own write into guest RAM (an SBI console read into a guest buffer, a page-table A/D update):
     * translations of the pages written go, as for a guest store.
     *
     * @param address the first guest-physical byte written
     * @param length bytes written
     */
    public void hostWrite(long address, long length) {
        for (long page = address & ~0xfffL; page < address + length; page += 0x1000) {
            code.noteWrite(page);
        }
    }

    /**
     * Ends the write protection of a code page (a page table stays protected); the next store refills its entry.
     *
     * @param page the guest-physical page
     */
    public void releaseCode(long page) {
        code.release(page);
    }

    /** @return the guest page-table walker this MMU uses */
    public GuestPageTableWalker walker() {
        return walker;
    }

    /**
     * Returns the view index of a virtual privilege state. MXR counts in U-mode too (Privileged spec, "Memory
     * Privilege in sstatus": it modifies the privilege of loads, whatever the mode); SUM only in S-mode.
     *
     * @param supervisor virtual S-mode
     * @param sum sstatus.SUM
     * @param mxr sstatus.MXR
     * @return 0 or 5 for U-mode, 1 to 4 for S-mode
     */
    public static int view(boolean supervisor, boolean sum, boolean mxr) {
        if (!supervisor) {
            return mxr ? VIEW_USER_MXR : VIEW_USER;
        }
        return 1 + (sum ? 1 : 0) + (mxr ? 2 : 0);
    }

    private static boolean userView(int view) {
        return view == VIEW_USER || view == VIEW_USER_MXR;
    }

    private static boolean sumView(int view) {
        return !userView(view) && ((view - 1) & 1) != 0;
    }

    private static boolean mxrView(int view) {
        return view == VIEW_USER_MXR || !userView(view) && ((view - 1) & 2) != 0;
    }

    /**
     * Returns the real satp that runs a hart on the shadow of a guest address space in a view, creating the shadow
     * root when needed.
     *
     * @param hartId the hart
     * @param guestSatp the guest's satp
     * @param view the view index
     * @return the real satp value
     */
    public long activate(int hartId, long guestSatp, int view) {
        long key = contextKey(guestSatp);
        activeContexts[hartId] = key;
        ShadowPageTable table = table(key, view);
        if (table == null) {
            resetAll("out of shadow frames or address-space ids");
            activeContexts[hartId] = key;
            table = table(key, view);
        }
        return table.satp();
    }

    /**
     * Handles a page fault the hart raised while running guest code.
     *
     * @param guestSatp the guest's satp
     * @param view the view the guest was in
     * @param va the faulting guest-virtual address
     * @param access the access type
     * @return what the VMM must do next
     */
    public ShadowFault resolve(long guestSatp, int view, long va, int access) {
        boolean user = userView(view);
        boolean sum = sumView(view);
        boolean mxr = mxrView(view);
        if (!user && code.inWindow(va)) {
            return windowFault(guestSatp, view, va, access, sum, mxr);
        }
        GuestTranslation translation = walker.walk(guestSatp, va, access, user, sum, mxr, true);
        if (!translation.allowed()) {
            return ShadowFault.guestFault(translation.fault());
        }
        long guestPhysical = translation.guestPhysical();
        long page = guestPhysical & ~0xfffL;
        if (!guestRam.range().contains(page, 4096)) {
            if (access != GuestPageTableWalker.FETCH && mmio.isMapped(guestPhysical)) {
                return ShadowFault.mmio(guestPhysical);
            }
            return ShadowFault.guestFault(GuestPageTableWalker.accessFault(access));
        }
        long key = contextKey(guestSatp);
        ShadowPageTable table = table(key, view);
        if (table == null) {
            resetAll("out of shadow frames or address-space ids");
            return ShadowFault.retry();
        }
        long[] tables = translation.tables();
        int rootLevel = ShadowPageTable.levelsFor(guestSatp) - 1;
        for (int i = 0; i < tables.length; i++) {
            int level = rootLevel - i;
            long vaBase = level == rootLevel ? 0 : va & ~((1L << (12 + 9 * (level + 1))) - 1);
            if (tracker.track(tables[i], new TableUse(key, level, vaBase))) {
                writeProtect(tables[i], true);
            }
        }
        long permissions = permissions(translation.leafPte(), view, translation.leafLevel() < 0);
        if (tracker.isTracked(page) || code.isCode(page)) {
            permissions &= ~Pte.W;
        }
        if (code.enabled() && !user) {
            permissions &= ~Pte.X;
        }
        long slot = table.install(va, page, permissions);
        if (slot < 0) {
            resetAll("out of shadow frames");
            return ShadowFault.retry();
        }
        tracker.recordMapping(page, slot);
        fills.increment();
        if (access == GuestPageTableWalker.STORE && (permissions & Pte.W) == 0) {
            return ShadowFault.tracedStore(guestPhysical);
        }
        return ShadowFault.filled();
    }

    /**
     * Tells where one guest access goes without filling any shadow entry, for an access the VMM performs itself:
     * one that crosses a page boundary, which the hart splits in two (each page translated on its own, both before
     * anything is written). Walks the guest's tables as {@link #resolve} does (A, and D for a store, set as the
     * hardware would); refuses the translation cache's window in the supervisor views as {@link #resolve} does.
     *
     * @param guestSatp the guest's satp
     * @param view the view the guest is in
     * @param va the guest-virtual address
     * @param access {@link GuestPageTableWalker#LOAD} or {@link GuestPageTableWalker#STORE}
     * @return the guest-physical address (in guest RAM, or in a device window), or {@code -1 - cause} for the
     *         fault the guest must see
     */
    public long target(long guestSatp, int view, long va, int access) {
        boolean user = userView(view);
        boolean sum = sumView(view);
        boolean mxr = mxrView(view);
        if (!user && code.inWindow(va)) {
            long physical = walker.physical(guestSatp, va, access, false, sum, mxr, false);
            return physical < 0 ? physical : -1 - GuestPageTableWalker.accessFault(access);
        }
        long physical = walker.physical(guestSatp, va, access, user, sum, mxr, true);
        if (physical < 0 || guestRam.range().contains(physical, 1)
                || access != GuestPageTableWalker.FETCH && mmio.isMapped(physical)) {
            return physical;
        }
        return -1 - GuestPageTableWalker.accessFault(access);
    }

    /**
     * Performs a guest store to a write-protected guest page (a page table, or a page holding translated code),
     * invalidates the shadow entries derived from each PTE it changed, and reports a write to translated code;
     * counted as one traced store.
     *
     * @param guestPhysical the guest-physical address (inside guest RAM)
     * @param size 1, 2, 4 or 8
     * @param value the value stored
     */
    public void writeTraced(long guestPhysical, int size, long value) {
        countTraced(guestPhysical & ~0xfffL);
        store(guestPhysical, size, value);
    }

    /**
     * Performs a store into guest RAM for the guest, keeping the shadows coherent as {@link #writeTraced} does (the
     * page may be a traced page table, translated code or neither), without counting it.
     *
     * @param guestPhysical the guest-physical address (the access inside guest RAM)
     * @param size 1, 2, 4 or 8
     * @param value the value stored
     */
    public void store(long guestPhysical, int size, long value) {
        long first = guestPhysical & ~7L;
        long last = (guestPhysical + size - 1) & ~7L;
        long oldFirst = guestRam.read64(first);
        long oldLast = guestRam.read64(last);
        guestRam.write(guestPhysical, size, value);
        if (guestRam.read64(first) != oldFirst) {
            pteChanged(first);
        }
        if (last != first && guestRam.read64(last) != oldLast) {
            pteChanged(last);
        }
        long page = first & ~0xfffL;
        code.noteWrite(page);
        if (tracker.isTracked(page) && tracker.noteWrite(page) > FLOOD_LIMIT) {
            unshadow(page);
        }
    }

    /**
     * Counts a traced store the VMM completed itself without {@link #writeTraced}: one that wrote nothing (a
     * store-conditional whose reservation was gone), or one split across two pages: its trap into the VMM happened
     * all the same.
     *
     * @param guestPhysical the guest-physical address
     */
    public void traceRefused(long guestPhysical) {
        countTraced(guestPhysical & ~0xfffL);
    }

    /**
     * Tells whether a store to a guest page traps to the VMM because the shadows write-protect it (a traced guest
     * page table, or a page of translated code).
     *
     * @param page the guest-physical page
     * @return true when protected
     */
    public boolean isProtected(long page) {
        return tracker.isTracked(page) || code.isCode(page);
    }

    /** Each traced store is one trap into the VMM: to a guest page table, else to a page of translated code. */
    private void countTraced(long page) {
        (tracker.isTracked(page) ? tracedWrites : tracedCodeWrites).increment();
    }

    /**
     * Keeps the shadows coherent with a device write (DMA) into guest RAM: every shadow entry derived from a guest
     * page table the write touched is dropped (the old PTE values are gone, so all of them), and a write to a page
     * holding translated code is reported as a guest store would be.
     *
     * @param address the first guest-physical byte written
     * @param length bytes written
     * @return true when shadow entries were dropped (the harts' cached translations must go before they run)
     */
    public boolean externalWrite(long address, long length) {
        boolean dropped = false;
        for (long page = address & ~0xfffL; page < address + length; page += 0x1000) {
            if (tracker.isTracked(page)) {
                dmaTraced.increment();
                for (TableUse use : tracker.uses(page)) {
                    ShadowPageTable[] views = contexts.get(use.context());
                    for (long index = 0; views != null && index < 512; index++) {
                        dropped |= invalidate(views, use.vaBase() + (index << (12 + 9 * use.level())), use.level(),
                                use.context());
                    }
                }
            }
            code.noteWrite(page);
        }
        return dropped;
    }

    /** A supervisor-view fault inside the translated-code window: fill a fetch, refuse anything else. */
    private ShadowFault windowFault(long guestSatp, int view, long va, int access, boolean sum, boolean mxr) {
        if (access != GuestPageTableWalker.FETCH) {
            GuestTranslation translation = walker.walk(guestSatp, va, access, false, sum, mxr, false);
            if (!translation.allowed()) {
                return ShadowFault.guestFault(translation.fault());
            }
            log.warn("The guest kernel maps 0x{}, inside the translation cache's window: access refused",
                    Long.toHexString(va));
            return ShadowFault.guestFault(GuestPageTableWalker.accessFault(access));
        }
        ShadowPageTable table = table(contextKey(guestSatp), view);
        if (table == null) {
            resetAll("out of shadow frames or address-space ids");
            return ShadowFault.retry();
        }
        long page = code.cachePage(va);
        if (table.install(va, page, Pte.X) < 0) {
            resetAll("out of shadow frames");
            return ShadowFault.retry();
        }
        fills.increment();
        return ShadowFault.filled();
    }

    /**
     * Returns what the harts' cached translations must lose before the guest runs again (shadow entries removed or
     * weakened since it was last cleared); the caller applies it to every hart, then clears it.
     *
     * @return the pending flush, empty when nothing changed
     */
    public PendingTlbFlush pendingFlush() {
        return pendingFlush;
    }

    /**
     * Drops every shadow table.
     *
     * @param reason for the log
     */
    public void resetAll(String reason) {
        log.debug("Dropping every shadow table: {}", reason);
        resets.increment();
        contexts.clear();
        tracker.clear();
        frames.reset();
        nextAsid = 1;
        pendingFlush.everything();
    }

    /** @return the tracker, for tests and diagnostics */
    public WriteProtectTracker tracker() {
        return tracker;
    }

    /**
     * Returns a shadow tree if it exists, for tests and diagnostics.
     *
     * @param guestSatp the guest satp
     * @param view the view
     * @return the tree, or null
     */
    public ShadowPageTable existingTable(long guestSatp, int view) {
        ShadowPageTable[] views = contexts.get(contextKey(guestSatp));
        return views == null ? null : views[view];
    }

    private void pteChanged(long pteAddress) {
        long page = pteAddress & ~0xfffL;
        long index = (pteAddress & 0xfff) >>> 3;
        for (TableUse use : tracker.uses(page)) {
            ShadowPageTable[] views = contexts.get(use.context());
            if (views != null) {
                invalidate(views, use.vaBase() + (index << (12 + 9 * use.level())), use.level(), use.context());
            }
        }
    }

    private void unshadow(long page) {
        for (TableUse use : tracker.uses(page)) {
            if (isRoot(use)) {
                boolean active = false;
                for (long context : activeContexts) {
                    active |= context == use.context();
                }
                if (active) {
                    tracker.noteWrite(page);
                    return;
                }
            }
        }
        unshadowed.increment();
        for (TableUse use : tracker.uses(page)) {
            if (isRoot(use)) {
                contexts.remove(use.context());
            } else {
                ShadowPageTable[] views = contexts.get(use.context());
                if (views != null) {
                    invalidate(views, use.vaBase(), use.level() + 1, use.context());
                }
            }
        }
        tracker.untrack(page);
        // The page's own shadow entries stay, read-only: the next store to it faults and the fill maps it writable,
        // since it is no longer tracked. (Zeroing them without a flush would let a hart keep a cached translation
        // that a later guest PTE change could no longer find to drop; zeroing them with a flush of everything cost
        // every hart its whole TLB each time a page stopped being a table.)
    }

    // A guest table page used as its address space's root (the context's key holds the guest satp's mode).
    private static boolean isRoot(TableUse use) {
        return use.level() == ShadowPageTable.levelsFor(use.context()) - 1;
    }

    private boolean invalidate(ShadowPageTable[] views, long va, int level, long context) {
        boolean dropped = false;
        for (ShadowPageTable table : views) {
            if (table != null && table.invalidate(va, level)) {
                invalidations.increment();
                dropped = true;
            }
        }
        if (dropped) {
            // Only a root entry's address can have lost its sign bits (vaBase 0 plus an index of the upper half);
            // such ranges are large enough to become a flush of everything anyway.
            pendingFlush.range(AddressTranslation.canonical(va, ShadowPageTable.levelsFor(context)),
                    1L << (12 + 9 * level));
        }
        return dropped;
    }

    /** Clears W in every shadow entry of a page; asks the harts to revoke their writes to it if told to. */
    private boolean writeProtect(long page, boolean requestFlush) {
        boolean weakened = false;
        for (long slot : tracker.mappings(page)) {
            long pte = physical.read64(slot);
            if ((pte & Pte.V) != 0 && Pte.address(pte) == page && (pte & Pte.W) != 0) {
                physical.write64(slot, pte & ~Pte.W);
                weakened = true;
            }
        }
        if (weakened && requestFlush) {
            pendingFlush.revokeWrite(page);
        }
        return weakened;
    }

    private ShadowPageTable table(long key, int view) {
        ShadowPageTable[] views = contexts.get(key);
        if (views == null) {
            if (contexts.size() >= MAX_CONTEXTS) {
                return null;
            }
            views = new ShadowPageTable[VIEWS];
            contexts.put(key, views);
            contextsCreated.increment();
        }
        if (views[view] == null) {
            long root = frames.allocate();
            if (root < 0 || nextAsid > MAX_ASID) {
                return null;
            }
            views[view] = new ShadowPageTable(physical, frames, root, nextAsid++, ShadowPageTable.levelsFor(key));
        }
        return views[view];
    }

    private static long permissions(long pte, int view, boolean bare) {
        if (bare) {
            return Pte.R | Pte.W | Pte.X;
        }
        boolean mxr = mxrView(view);
        boolean sum = sumView(view);
        long read = (pte & Pte.R) != 0 || mxr && (pte & Pte.X) != 0
                ? Pte.R : 0;
        long write = (pte & Pte.W) != 0 && (pte & Pte.D) != 0
                ? Pte.W : 0;
        long execute = pte & Pte.X;
        boolean userPage = (pte & Pte.U) != 0;
        if (userView(view)) {
            return userPage ? read | write | execute : 0;
        }
        if (userPage) {
            return sum ? read | write : 0;
        }
        return read | write | execute;
    }

    private static long contextKey(long guestSatp) {
        return guestSatp & (0xfL << 60 | 0x0fff_ffff_ffffL);
    }
}
