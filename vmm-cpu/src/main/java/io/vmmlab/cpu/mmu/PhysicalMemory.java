package io.vmmlab.cpu.mmu;

import io.vmmlab.api.device.MmioBus;
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
        for (MmioBus.Mapping mapping : mappings) {
            long base = mapping.range().base();
            long limit = base + mapping.range().size();
            if (Long.compareUnsigned(base, end) < 0 && Long.compareUnsigned(limit, start) > 0) {
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
            return;
        }
        if (address >= ramBase && address + size <= ramEnd) {
            ram.write(address, size, value);
            invalidateCode(address, size);
            return;
        }
        throw new MemoryAccessException(address, "nothing at this physical address");
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
            codePages[index] = page;
            liveCodePages.add(page);
        }
        return page;
    }

    /**
     * Tells whether a RAM page holds decoded code.
     *
     * @param pageBase the page's physical address
     * @return true when stores there must invalidate instructions
     */
    public boolean isCode(long pageBase) {
        if (!pageInRam(pageBase)) {
            return false;
        }
        return codePages[(int) ((pageBase - ramBase) >>> 12)] != null;
    }

    /**
     * Invalidates the decoded instructions a write overlaps.
     *
     * @param address first byte written
     * @param size bytes written
     */
    public void invalidateCode(long address, int size) {
        if (liveCodePages.isEmpty() || address < ramBase || address >= ramEnd) {
            return;
        }
        DecodedPage page = codePages[(int) ((address - ramBase) >>> 12)];
        if (page != null && page.invalidate((int) (address & (PAGE - 1)), size)) {
            codeOverwritten = true;
        }
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

    /** Forgets all decoded code (FENCE.I, host flushes); the pages stop being code pages. */
    public void clearCode() {
        for (DecodedPage page : liveCodePages) {
            codePages[(int) ((page.physicalBase() - ramBase) >>> 12)] = null;
        }
        liveCodePages.clear();
    }
}
