package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.decode.DecodedPage;

import java.util.Arrays;

/**
 * One software TLB: direct-mapped arrays keyed by virtual page number, separately for fetches, loads and
 * stores, for one translation context (privilege level and V bit). Entries map 4 KiB pages even inside
 * superpages.
 *
 * <p>A tag is the virtual page number for a plain RAM page (the fast path adds the addend to the virtual
 * address and reads RAM), or the page number with {@link #SLOW} set for pages that need per-access dispatch:
 * device windows, and, for stores, pages holding decoded code. Empty entries hold -1, which no page number
 * matches.
 */
public final class Tlb {
    /** Entries per access type. */
    public static final int SIZE = 1024;
    /** Index mask. */
    public static final int MASK = SIZE - 1;
    /** Tag flag for entries that take the slow path. */
    public static final long SLOW = 1L << 62;

    final long[] fetchTags = new long[SIZE];
    final DecodedPage[] fetchPages = new DecodedPage[SIZE];
    final long[] loadTags = new long[SIZE];
    final long[] loadAddends = new long[SIZE];
    final long[] storeTags = new long[SIZE];
    final long[] storeAddends = new long[SIZE];

    /** Creates an empty TLB. */
    public Tlb() {
        flush();
    }

    /** Drops every entry. */
    public void flush() {
        Arrays.fill(fetchTags, -1);
        Arrays.fill(fetchPages, null);
        Arrays.fill(loadTags, -1);
        Arrays.fill(storeTags, -1);
    }

    /** Drops the store entries (a page became a code page). */
    public void flushStores() {
        Arrays.fill(storeTags, -1);
    }

    /** Drops the fetch entries (decoded code was discarded). */
    public void flushFetches() {
        Arrays.fill(fetchTags, -1);
        Arrays.fill(fetchPages, null);
    }
}
