package io.vmmlab.cpu.mmu;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.device.RamOverlay;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.cpu.decode.DecodedPage;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical address space as one hart sees it: RAM, device windows that take precedence over RAM where they
 * overlay it, and nothing else (an access elsewhere throws {@link MemoryAccessException}, which the MMU turns
 * into an access fault).
 *
 * <p>It also tracks which RAM pages hold decoded code ({@link DecodedPage}s), so that stores can invalidate
 * them (self-modifying code), and provides the lock that makes LR/SC and AMOs atomic across harts that share
 * the same RAM object.
 *
 * <p>Decoded pages are this hart's own; which pages some hart holds, and the writes into them, are shared through
 * the RAM's {@link CodeCoherence}. A store into a page any hart holds (it takes the slow path, {@link #isCode})
 * drops this hart's overlapping blocks at once and is counted; FENCE.I ({@link #synchronizeCode}) drops the pages
 * counted as written since this hart's blocks were known current (by other harts, or by the host through
 * {@link #hostWrote}) and keeps the rest.
 */
public final class PhysicalMemory {
    /** Page kinds, as cached by the TLB. */
    public static final int RAM = 0;
    public static final int MIXED = 1;
    public static final int NONE = 2;

    private static final long PAGE = 4096;

    private final GuestMemory ram;
    private final MmioBus mmio;
    private final long ramBase;
    private final long ramEnd;
    private final DecodedPage[] codePages;
    private final List<DecodedPage> liveCodePages = new ArrayList<>();
    private final CodeCoherence coherence;
    private final CodeCoherence.Member member;
    private long writesSynchronized;
    private int untrustedPages;
    private boolean codeOverwritten;
    private List<MmioBus.Mapping> checkedMappings;
    private boolean devicesOverlayRam;

    /**
     * Creates the view.
     *
     * @param ram the board's RAM
     * @param mmio the board's device windows
     */
    public PhysicalMemory(GuestMemory ram, MmioBus mmio) {
        this.ram = ram;
        this.mmio = mmio;
        this.ramBase = ram.range().base();
        this.ramEnd = ram.range().base() + ram.range().size();
        this.codePages = new DecodedPage[(int) (ram.range().size() >>> 12)];
        this.coherence = CodeCoherence.of(ram);
        this.member = coherence.join();
    }

    /** Returns the RAM, for the MMU's fast paths. */
    public GuestMemory ram() {
        return ram;
    }

    /**
     * Returns the object whose monitor serializes atomic memory operations on this RAM: the RAM itself, which
     * every hart of a machine shares.
     *
     * @return the lock
     */
    public Object atomicLock() {
        return ram;
    }

    private boolean pageInRam(long pageBase) {
        return pageBase >= ramBase && pageBase + PAGE <= ramEnd && pageBase + PAGE > pageBase;
    }

    /**
     * Tells whether a device window covers any RAM address (the host-target interface of the test suites maps one
     * over a RAM page). The answer is cached for as long as the bus returns the same list of mappings.
     *
     * @return true when some RAM address answers as a device
     */
    public boolean devicesOverlayRam() {
        List<MmioBus.Mapping> mappings = mmio.mappings();
        if (mappings != checkedMappings) {
            checkedMappings = mappings;
            devicesOverlayRam = anyDeviceIn(mappings, ramBase, ramEnd);
        }
        return devicesOverlayRam;
    }

    /** Tells whether a device window of the list touches the physical addresses from start up to end. */
    private static boolean anyDeviceIn(List<MmioBus.Mapping> mappings, long start, long end) {
        return anyDeviceIn(mappings, start, end, false);
    }

    /**
     * Tells whether a device window of the list touches the physical addresses from start up to end, leaving out
     * {@link RamOverlay} windows if asked.
     */
    private static boolean anyDeviceIn(List<MmioBus.Mapping> mappings, long start, long end, boolean butOverlays) {
        for (MmioBus.Mapping mapping : mappings) {
            long base = mapping.range().base();
            long limit = base + mapping.range().size();
            if (Long.compareUnsigned(base, end) < 0 && Long.compareUnsigned(limit, start) > 0
                    && !(butOverlays && mapping.device() instanceof RamOverlay)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Classifies a page for the TLB: plain RAM (fast path), a page some device window touches (slow path,
     * dispatched per access), or nothing.
     *
     * @param pageBase 4 KiB aligned physical address
     * @return {@link #RAM}, {@link #MIXED} or {@link #NONE}
     */
    public int classify(long pageBase) {
        if (anyDeviceIn(mmio.mappings(), pageBase, pageBase + PAGE)) {
            return MIXED;
        }
        return pageInRam(pageBase) ? RAM : NONE;
    }

    /**
     * Tells whether instructions can be fetched from a page: a page of RAM, even where a {@link RamOverlay} window
     * overlays part of it for loads and stores (the test suites' host-target interface on the {@code tohost} word,
     * which keeps its bytes in RAM): instructions always come from RAM. A page another device window touches is not
     * executable.
     *
     * @param pageBase 4 KiB aligned physical address
     * @return true when the whole page is RAM, overlaid by RAM overlays at most
     */
    public boolean fetchable(long pageBase) {
        return pageInRam(pageBase)
                && (!devicesOverlayRam() || !anyDeviceIn(mmio.mappings(), pageBase, pageBase + PAGE, true));
    }

    /**
     * Reads from a device or RAM.
     *
     * @param address physical address
     * @param size 1, 2, 4 or 8
     * @return the value, zero-extended
     * @throws MemoryAccessException when nothing answers there
     */
    public long read(long address, int size) {
        if (mmio.isMapped(address)) {
            return mmio.read(address, size);
        }
        if (address >= ramBase && address + size <= ramEnd) {
            return ram.read(address, size);
        }
        throw new MemoryAccessException(address, "nothing at this physical address");
    }

    /**
     * Writes to a device or RAM, invalidating decoded code the write overlaps.
     *
     * @param address physical address
     * @param size 1, 2, 4 or 8
     * @param value the value
     * @throws MemoryAccessException when nothing answers there
     */
    public void write(long address, int size, long value) {
        if (mmio.isMapped(address)) {
            mmio.write(address, size, value);
            if (address >= ramBase && address + size <= ramEnd) { // a RAM overlay wrote the RAM beneath
                int index = (int) ((address - ramBase) >>> 12);
                if (coherence.held(index)) {
                    synchronized (coherence) {
                        countWrite(index, address, size);
                    }
                }
            }
            return;
        }
        if (address >= ramBase && address + size <= ramEnd) {
            int index = (int) ((address - ramBase) >>> 12);
            if (coherence.held(index)) {
                writeHeld(index, address, size, value);
            } else {
                ram.write(address, size, value);
            }
            return;
        }
        throw new MemoryAccessException(address, "nothing at this physical address");
    }

    /**
     * Writes into a page some hart holds decoded code of: under the coherence monitor, so that a FENCE.I sees either
     * neither the write nor its count or both; this hart's own blocks there go at once.
     */
    private void writeHeld(int index, long address, int size, long value) {
        synchronized (coherence) {
            ram.write(address, size, value);
            countWrite(index, address, size);
        }
    }

    /** Counts a write into a held page and drops this hart's blocks it overlaps; under the coherence monitor. */
    private void countWrite(int index, long address, int size) {
        int before = coherence.written(index);
        DecodedPage page = codePages[index];
        if (page != null) {
            if (page.invalidate((int) (address & (PAGE - 1)), size)) {
                codeOverwritten = true;
            }
            if (page.writesSeen() == before) {
                page.markCurrent(before + 1, page.trusted()); // no other write since: the page stays current
            }
        }
    }

    /**
     * The host (a device's DMA, a VMM, a loader) wrote RAM: drops this hart's blocks the write overlaps at once, and
     * counts the write for the other harts, which drop their code of the page at their next FENCE.I.
     *
     * @param address first byte written
     * @param size bytes written, within one page
     */
    public void hostWrote(long address, int size) {
        if (address < ramBase || address >= ramEnd) {
            return;
        }
        int index = (int) ((address - ramBase) >>> 12);
        if (coherence.held(index)) {
            synchronized (coherence) {
                countWrite(index, address, size);
            }
        }
    }

    /**
     * Returns the decoded-code page for a RAM page, creating it on first use.
     *
     * @param address any physical address in the page
     * @return the page, or null when the page is not plain RAM
     */
    public DecodedPage codePage(long address) {
        long pageBase = address & ~(PAGE - 1);
        if (!pageInRam(pageBase)) {
            return null;
        }
        int index = (int) ((pageBase - ramBase) >>> 12);
        DecodedPage page = codePages[index];
        if (page == null) {
            page = new DecodedPage(pageBase);
            synchronized (coherence) {
                boolean trusted = coherence.hold(index, member);
                page.markCurrent(coherence.writes(index), trusted);
            }
            if (!page.trusted()) {
                untrustedPages++;
            }
            codePages[index] = page;
            liveCodePages.add(page);
        }
        return page;
    }

    /**
     * Tells whether some hart (this one or another over the same RAM) holds decoded code of a RAM page.
     *
     * @param pageBase the page's physical address
     * @return true when stores there must take the slow path, which invalidates and counts them
     */
    public boolean isCode(long pageBase) {
        if (!pageInRam(pageBase)) {
            return false;
        }
        return coherence.held((int) ((pageBase - ramBase) >>> 12));
    }

    /**
     * Tells whether a write dropped decoded code since the last call, and clears the flag. The interpreter asks
     * after its slow-path stores, so that it stops running a block whose instructions may have been rewritten.
     *
     * @return true when decoded code was overwritten
     */
    public boolean takeCodeOverwritten() {
        boolean overwritten = codeOverwritten;
        codeOverwritten = false;
        return overwritten;
    }

    /**
     * Returns how many pages hold decoded code; the MMU compares it around a lookup to learn that a page just
     * became a code page, whose store fast paths must then be revoked.
     *
     * @return the number of live code pages
     */
    public int codePageCount() {
        return liveCodePages.size();
    }

    /** Forgets all decoded code (host flushes, reset); the pages stop being this hart's code pages. */
    public void clearCode() {
        synchronized (coherence) {
            for (DecodedPage page : liveCodePages) {
                int index = (int) ((page.physicalBase() - ramBase) >>> 12);
                codePages[index] = null;
                coherence.release(index);
            }
        }
        liveCodePages.clear();
        untrustedPages = 0;
    }

    /**
     * FENCE.I: drops the decoded pages that were written since their blocks were known current (by another hart, or
     * by the host) and those made while another hart could still store to them unnoticed; keeps the rest. Costs one
     * comparison when no page any hart holds was written since this hart's last call.
     *
     * @return true when a page was dropped (fetch TLB entries may point at it)
     */
    public boolean synchronizeCode() {
        if (untrustedPages == 0 && coherence.writeCount() == writesSynchronized) {
            return false;
        }
        boolean dropped = false;
        synchronized (coherence) {
            writesSynchronized = coherence.writeCount();
            int kept = 0;
            for (int i = 0; i < liveCodePages.size(); i++) {
                DecodedPage page = liveCodePages.get(i);
                int index = (int) ((page.physicalBase() - ramBase) >>> 12);
                if (page.trusted() && page.writesSeen() == coherence.writes(index)) {
                    liveCodePages.set(kept++, page);
                } else {
                    page.clear(); // translations of the page's blocks go with them
                    codePages[index] = null;
                    coherence.release(index);
                    dropped = true;
                }
            }
            liveCodePages.subList(kept, liveCodePages.size()).clear();
        }
        untrustedPages = 0;
        return dropped;
    }

    /**
     * The hart starts running: if some page became held since it last looked, it must first drop its store TLB
     * entries (they may be fast for that page), then call {@link #caughtUp}.
     *
     * @return true when the store entries must go
     */
    public boolean enterRun() {
        return coherence.enter(member);
    }

    /** The hart dropped its store entries after {@link #enterRun}, or had no need to. */
    public void caughtUp() {
        coherence.caughtUp(member);
    }

    /** The hart stopped running; it stores nothing until its next {@link #enterRun}. */
    public void leaveRun() {
        coherence.leave(member);
    }
}
