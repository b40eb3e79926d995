package io.vmmlab.fullvirt.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The translation cache: a bounded region of the VMM's private RAM holding translated guest-kernel code, which the
 * shadow tables of the guest's supervisor views map (execute-only) at {@link #WINDOW}. It remembers, for every
 * halfword of translated code, the guest pc of the guest instruction it came from (so that a fault or interrupt
 * inside translated code shows the guest its own pc), the callout placed there, and for every translated guest
 * instruction where its translation starts, together with the guest-physical address it was read from (so that a
 * translation is used only while the guest still maps that code at that address).
 */
public final class TranslationCache {
    /** Guest-virtual base of the window: in the gap Linux leaves for KASAN (Sv39 to Sv57), unused by the bundled kernel. */
    public static final long WINDOW = 0xffff_fffc_0000_0000L;

    private final GuestMemory physical;
    private final AddressRange region;
    private final int size;
    private final long[] guestPcs;
    private final Callout[] callouts;
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Map<Long, List<Long>> entriesByPage = new HashMap<>();
    private final List<Long> newPages = new ArrayList<>();
    private int used;

    /** Where the translation of one guest instruction starts. */
    record Entry(int offset, long guestPhysical) {
    }

    /**
     * Creates an empty cache.
     *
     * @param physical the board's RAM as the hart sees it
     * @param region where the cache lives, inside the VMM's private RAM; at most 1 MiB so a JAL reaches across
     */
    public TranslationCache(GuestMemory physical, AddressRange region) {
        if (region.size() > (1 << 20) || (region.base() & 0xfff) != 0 || (region.size() & 0xfff) != 0) {
            throw new IllegalArgumentException("translation cache must be page-aligned and at most 1 MiB: " + region);
        }
        this.physical = physical;
        this.region = region;
        this.size = (int) region.size();
        this.guestPcs = new long[size / 2];
        this.callouts = new Callout[size / 2];
    }

    /** @return the physical region of the cache */
    public AddressRange region() {
        return region;
    }

    /**
     * Tells whether a guest-virtual address is in the cache's window.
     *
     * @param va the address
     * @return true inside the window
     */
    public boolean inWindow(long va) {
        return va - WINDOW >= 0 && va - WINDOW < size;
    }

    /**
     * Returns the physical address behind a window address.
     *
     * @param va an address inside the window
     * @return the physical address in the cache
     */
    public long physicalAddress(long va) {
        return region.base() + (va - WINDOW);
    }

    /**
     * Returns the guest pc of the guest instruction whose translation covers a window address.
     *
     * @param va an address inside the window
     * @return the guest-virtual pc
     */
    public long guestPc(long va) {
        return guestPcs[(int) (va - WINDOW) >>> 1];
    }

    /**
     * Returns the callout placed at a window address.
     *
     * @param va an address inside the window
     * @return the callout, or null when none is there
     */
    Callout callout(long va) {
        return callouts[(int) (va - WINDOW) >>> 1];
    }

    /**
     * Looks up where the translation of a guest instruction starts.
     *
     * @param guestVa the guest-virtual pc
     * @return the entry, or null
     */
    Entry entry(long guestVa) {
        return entries.get(guestVa);
    }

    /** @return the offset the next emitted instruction gets */
    int position() {
        return used;
    }

    /** @return bytes left */
    int free() {
        return size - used;
    }

    /** @return the window address of an offset */
    static long windowAddress(int offset) {
        return WINDOW + offset;
    }

    void emit32(int instruction, long guestPc) {
        physical.write32(region.base() + used, instruction);
        guestPcs[used >>> 1] = guestPc;
        guestPcs[(used >>> 1) + 1] = guestPc;
        used += 4;
    }

    void emit16(int instruction, long guestPc) {
        physical.write16(region.base() + used, instruction);
        guestPcs[used >>> 1] = guestPc;
        used += 2;
    }

    void emitCallout(Callout callout) {
        callouts[used >>> 1] = callout;
        emit32(Rv64Encoder.callout(), callout.guestPc());
    }

    /** Rewrites a callout stub as a direct jump; the caller invalidates the harts' decoded copies. */
    void patch(int offset, int instruction) {
        physical.write32(region.base() + offset, instruction);
        callouts[offset >>> 1] = null;
    }

    void addEntry(long guestVa, int offset, long guestPhysical, Set<Long> pages) {
        entries.put(guestVa, new Entry(offset, guestPhysical));
        for (long page : pages) {
            List<Long> vas = entriesByPage.get(page);
            if (vas == null) {
                vas = new ArrayList<>();
                entriesByPage.put(page, vas);
                newPages.add(page);
            }
            vas.add(guestVa);
        }
    }

    /** @return whether some translation was read from a guest-physical page */
    boolean hasCode(long guestPhysicalPage) {
        return entriesByPage.containsKey(guestPhysicalPage);
    }

    /**
     * Forgets every translation read from a guest-physical page (the code stays until the next flush, unreachable
     * except from translations of the same page, which are forgotten too).
     *
     * @param guestPhysicalPage the page
     * @return whether there was any
     */
    boolean invalidatePage(long guestPhysicalPage) {
        List<Long> vas = entriesByPage.remove(guestPhysicalPage);
        if (vas == null) {
            return false;
        }
        for (long va : vas) {
            entries.remove(va);
        }
        return true;
    }

    /** @return the guest-physical pages that got their first translation since the last call */
    List<Long> takeNewPages() {
        List<Long> pages = List.copyOf(newPages);
        newPages.clear();
        return pages;
    }

    /** @return the guest-physical pages translations were read from */
    Set<Long> pages() {
        return Set.copyOf(entriesByPage.keySet());
    }

    /** Forgets everything; the caller invalidates the harts' decoded copies of the region. */
    void flush() {
        entries.clear();
        entriesByPage.clear();
        newPages.clear();
        Arrays.fill(callouts, null);
        Arrays.fill(guestPcs, 0);
        used = 0;
    }
}
