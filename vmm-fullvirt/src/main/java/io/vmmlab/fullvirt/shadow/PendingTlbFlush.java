package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.Hart;

/**
 * What the harts' cached translations must lose before guest code runs again, gathered while the shadow MMU removes
 * or weakens shadow entries: virtual ranges whose entries went (a guest PTE changed), physical pages that lost their
 * write permission (a page became a guest page table), or everything (the shadows were dropped, or too much changed
 * for a list). Like a hypervisor's INVLPG instead of a full TLB flush: a fork that write-protects a few new page
 * tables then costs the harts a few entries, not their whole TLBs.
 */
public final class PendingTlbFlush {
    /** The most ranges and pages kept before it becomes a flush of everything. */
    static final int CAPACITY = 16;
    /** The most 4 KiB pages the ranges may cover together before it becomes a flush of everything. */
    static final long MAX_PAGES = 1024;

    private final long[] rangeBases = new long[CAPACITY];
    private final long[] rangeLengths = new long[CAPACITY];
    private final long[] revokedPages = new long[CAPACITY];
    private int ranges;
    private int revoked;
    private long pages;
    private boolean everything;

    /**
     * Adds a virtual range whose shadow entries were removed.
     *
     * @param virtualBase the range's first address, canonical
     * @param length its length in bytes, a multiple of 4 KiB
     */
    public void range(long virtualBase, long length) {
        pages += length >>> 12;
        if (everything || ranges == CAPACITY || pages > MAX_PAGES) {
            everything = true;
            return;
        }
        rangeBases[ranges] = virtualBase;
        rangeLengths[ranges++] = length;
    }

    /**
     * Adds a physical page whose shadow entries lost their write permission.
     *
     * @param page the page's physical base
     */
    public void revokeWrite(long page) {
        for (int i = 0; i < revoked; i++) {
            if (revokedPages[i] == page) {
                return;
            }
        }
        if (everything || revoked == CAPACITY) {
            everything = true;
            return;
        }
        revokedPages[revoked++] = page;
    }

    /** Asks for every cached translation to go. */
    public void everything() {
        everything = true;
    }

    /** @return true when nothing needs to go */
    public boolean isEmpty() {
        return !everything && ranges == 0 && revoked == 0;
    }

    /** @return true when every cached translation must go */
    public boolean isEverything() {
        return everything;
    }

    /**
     * Makes a hart drop what is pending (its decoded code stays: shadow entries changed, not code).
     *
     * @param hart the hart, between its runs
     */
    public void applyTo(Hart hart) {
        if (everything) {
            hart.flushTranslations();
            return;
        }
        for (int i = 0; i < ranges; i++) {
            hart.flushTranslations(rangeBases[i], rangeLengths[i]);
        }
        for (int i = 0; i < revoked; i++) {
            hart.revokeWrite(revokedPages[i]);
        }
    }

    /** Forgets what was pending, once every hart has dropped it. */
    public void clear() {
        ranges = 0;
        revoked = 0;
        pages = 0;
        everything = false;
    }
}
