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
 * matches. Since an entry's index is its page number modulo {@link #SIZE}, a tag compared against the page of
 * an access's first byte at the index of its last byte also tells that the access stays inside one page.
 *
 * <p>The load and store entries live in one array ({@link #data}), four longs per index from {@link #base}; the
 * TLBs of all translation contexts of a hart share that array (one per context, at bases {@code 4 * SIZE} apart),
 * so translated code can hold it as a constant of known length and index it without bounds checks.
 */
public final class Tlb {
    /** Entries per access type. */
    public static final int SIZE = 1024;
    /** Index mask. */
    public static final int MASK = SIZE - 1;
    /** Tag flag for entries that take the slow path. */
    public static final long SLOW = 1L << 62;
    /** Offsets within an entry's four longs of {@link #data}. */
    public static final int LOAD_TAG = 0;
    public static final int LOAD_ADDEND = 1;
    public static final int STORE_TAG = 2;
    public static final int STORE_ADDEND = 3;

    /** Longs of {@link #data} per TLB. */
    public static final int LENGTH = 4 * SIZE;
    /** The most filled entries a flush clears one by one. */
    static final int FILL_LOG = 128;
    /** The most superpages a TLB keeps apart for page fences. */
    static final int SUPERPAGES = 4;

    // Empty entries to copy over a TLB's (System.arraycopy runs at full speed even from a caller the JVM still
    // interprets, where Arrays.fill is a bytecode loop: Linux's boot, which flushes its TLBs a few hundred times
    // before init, spent about 9 ms in interpreted fills).
    private static final long[] EMPTY_DATA = emptyEntries(LENGTH);
    private static final long[] EMPTY_TAGS = emptyEntries(SIZE);
    private static final DecodedPage[] NO_PAGES = new DecodedPage[SIZE];

    /**
     * Load and store entries: at {@code base + 4 * index} the load tag, load addend, store tag and store addend
     * (an addend is the physical page base minus the virtual page base). Read it anywhere; write entries only through
     * {@link #fillData} and {@link #fillFetch}, which note them for the next flush (an entry written otherwise would
     * survive flushes).
     */
    public final long[] data;
    /** This TLB's first position in {@link #data} (a multiple of {@link #LENGTH}). */
    public final int base;
    final long[] fetchTags = new long[SIZE];
    final DecodedPage[] fetchPages = new DecodedPage[SIZE];
    // Per index, which of its entries (LOCAL_LOAD, LOCAL_STORE, LOCAL_FETCH) were last filled from a mapping that is
    // not global; an empty entry may keep its bit (dropping it again is harmless).
    private final byte[] locals = new byte[SIZE];
    private static final int LOCAL_LOAD = 1;
    private static final int LOCAL_STORE = 2;
    private static final int LOCAL_FETCH = 4;
    private static final int NOTED = 8; // only while the fill log is compacted
    // The indices filled since the last flush, in order, so that a flush clears only those: a guest that switches
    // address spaces refills a few dozen of the 1024 entries in between (the guest suite's context switches spent
    // about a tenth of vmm compare's time clearing whole TLBs). Past FILL_LOG fills, fillCount stays FILL_LOG + 1 and
    // a flush clears everything; 0 means empty.
    private final int[] fills = new int[FILL_LOG];
    private int fillCount = FILL_LOG + 1; // the arrays start as zeros, not empty entries
    // The superpages entries were made from since the last flush (see markSuperpage): [first, end) in page numbers,
    // superpageCount of them; past SUPERPAGES, superpageCount stays SUPERPAGES + 1 and a page fence empties the TLB.
    private final long[] superpageFirst = new long[SUPERPAGES];
    private final long[] superpageEnd = new long[SUPERPAGES];
    private int superpageCount;

    /** Creates an empty TLB with an array of its own. */
    public Tlb() {
        this(new long[LENGTH], 0);
    }

    /**
     * Creates an empty TLB in a part of a shared array.
     *
     * @param data the array
     * @param base where this TLB's entries start (a multiple of {@link #LENGTH})
     */
    public Tlb(long[] data, int base) {
        if (base % LENGTH != 0 || base < 0 || base + LENGTH > data.length) {
            throw new IllegalArgumentException("bad TLB base " + base + " for an array of " + data.length);
        }
        this.data = data;
        this.base = base;
        flush();
    }

    /**
     * Returns the position of the entry for a virtual address, relative to {@link #base}.
     *
     * @param va virtual address
     * @return four times the entry index
     */
    public static int entry(long va) {
        return ((int) (va >>> 12) & MASK) << 2;
    }

    /**
     * Returns the position in {@link #data} of this TLB's entry for a virtual address.
     *
     * @param va virtual address
     * @return {@link #base} plus {@link #entry}
     */
    public int position(long va) {
        return base + entry(va);
    }

    /**
     * Fills a load or store entry of the current data TLB.
     *
     * @param position the entry's tag in {@link #data}: {@link #position} plus {@link #LOAD_TAG} or {@link #STORE_TAG}
     * @param tag the page number, with {@link #SLOW} where the page needs per-access dispatch
     * @param addend the physical page base minus the virtual page base
     */
    void fillData(int position, long tag, long addend) {
        fillData(position, tag, addend, false);
    }

    /**
     * Fills a load or store entry of the current data TLB, saying whether it maps a global page (G set in its
     * first-stage PTEs): an SFENCE.VMA for one ASID keeps global entries ({@link #flushNonGlobal}).
     *
     * @param position the entry's tag in {@link #data}: {@link #position} plus {@link #LOAD_TAG} or {@link #STORE_TAG}
     * @param tag the page number, with {@link #SLOW} where the page needs per-access dispatch
     * @param addend the physical page base minus the virtual page base
     * @param global true for a global mapping
     */
    void fillData(int position, long tag, long addend, boolean global) {
        int index = (position - base) >> 2;
        noteFill(index);
        data[position] = tag;
        data[position + 1] = addend;
        markLocal(index, ((position - base) & 3) == LOAD_TAG ? LOCAL_LOAD : LOCAL_STORE, global);
    }

    private void markLocal(int index, int bit, boolean global) {
        locals[index] = (byte) (global ? locals[index] & ~bit : locals[index] | bit);
    }

    /**
     * Returns the decoded-code page a fetch entry maps {@code pc}'s page to, without walking anything.
     *
     * @param pc a virtual address
     * @return the page, or null when this TLB does not map pc's page for fetches
     */
    public DecodedPage cachedFetchPage(long pc) {
        int index = (int) (pc >>> 12) & MASK;
        return fetchTags[index] == pc >>> 12 ? fetchPages[index] : null;
    }

    /**
     * Fills a fetch entry.
     *
     * @param index the entry's index ({@code vpn & MASK})
     * @param vpn the page number
     * @param page the decoded-code page it maps to
     */
    void fillFetch(int index, long vpn, DecodedPage page) {
        fillFetch(index, vpn, page, false);
    }

    /**
     * Fills a fetch entry, saying whether it maps a global page.
     *
     * @param index the entry's index ({@code vpn & MASK})
     * @param vpn the page number
     * @param page the decoded-code page it maps to
     * @param global true for a global mapping
     */
    void fillFetch(int index, long vpn, DecodedPage page, boolean global) {
        noteFill(index);
        fetchTags[index] = vpn;
        fetchPages[index] = page;
        markLocal(index, LOCAL_FETCH, global);
    }

    /**
     * An SFENCE.VMA for this TLB's ASID without an address: drops the entries of mappings that are not global.
     * (Entries are global only when a fill said so; the others count as this address space's.)
     */
    public void flushNonGlobal() {
        for (int i = 0, visited = visited(); i < visited; i++) {
            dropLocal(visitedIndex(i));
        }
    }

    private void dropLocal(int index) {
        int bits = locals[index];
        if (bits == 0) {
            return;
        }
        int entry = base + (index << 2);
        if ((bits & LOCAL_LOAD) != 0) {
            data[entry + LOAD_TAG] = -1;
        }
        if ((bits & LOCAL_STORE) != 0) {
            data[entry + STORE_TAG] = -1;
        }
        if ((bits & LOCAL_FETCH) != 0) {
            fetchTags[index] = -1;
            fetchPages[index] = null;
        }
        locals[index] = 0;
    }

    // Notes an entry for the next flush, unless it is noted already: every entry that is not wholly empty has been
    // noted since the last flush (or the log has overflowed), so only a wholly empty one needs it. (A store or fetch
    // flush may empty a noted entry; noting it again is harmless.)
    private void noteFill(int index) {
        if (!isEmpty(index) || fillCount > FILL_LOG) {
            return;
        }
        if (fillCount == FILL_LOG) {
            compactFills();
        }
        if (fillCount < FILL_LOG) {
            fills[fillCount++] = index;
        } else {
            fillCount = FILL_LOG + 1;
        }
    }

    // How many indices a partial flush visits: those the fill log noted, or every index once it overflowed.
    private int visited() {
        return fillCount > FILL_LOG ? SIZE : fillCount;
    }

    // The i-th index a partial flush visits (i below visited()).
    private int visitedIndex(int i) {
        return fillCount > FILL_LOG ? i : fills[i];
    }

    // Whether an index's load, store and fetch entries are all empty.
    private boolean isEmpty(int index) {
        int entry = base + (index << 2);
        return data[entry + LOAD_TAG] == -1 && data[entry + STORE_TAG] == -1 && fetchTags[index] == -1;
    }

    /** @return true when more entries were filled since the last flush than the fill log holds (tests) */
    boolean fillLogOverflowed() {
        return fillCount > FILL_LOG;
    }

    // The log is full: keeps each index whose entries are not all empty once. (Entries emptied one by one, by slot,
    // page, store or non-global flushes, leave their indices behind, and a refill notes such an index again.) The
    // NOTED bit of locals marks indices kept so far.
    private void compactFills() {
        int kept = 0;
        for (int i = 0; i < fillCount; i++) {
            int index = fills[i];
            if (!isEmpty(index) && (locals[index] & NOTED) == 0) {
                locals[index] |= NOTED;
                fills[kept++] = index;
            }
        }
        for (int i = 0; i < kept; i++) {
            locals[fills[i]] &= ~NOTED;
        }
        fillCount = kept;
    }

    /**
     * Notes that an entry just filled was made from a superpage: a fence of any page of that superpage must drop
     * the superpage's other 4 KiB entries too.
     *
     * @param va the virtual address the entry maps
     * @param shift log2 of the superpage's size (21 for 2 MiB, 30 for 1 GiB, 39 for 512 GiB, 48 for 256 TiB), or 0 for a 4 KiB page
     *              (nothing to note)
     */
    void markSuperpage(long va, int shift) {
        if (shift == 0) {
            return;
        }
        long pages = 1L << (shift - 12);
        long first = (va >>> 12) & -pages;
        for (int i = 0; i < superpageCount && i < SUPERPAGES; i++) {
            if (superpageFirst[i] == first && superpageEnd[i] == first + pages) {
                return;
            }
        }
        if (superpageCount < SUPERPAGES) {
            superpageFirst[superpageCount] = first;
            superpageEnd[superpageCount] = first + pages;
            superpageCount++;
        } else {
            superpageCount = SUPERPAGES + 1;
        }
    }

    /** Drops every entry. */
    public void flush() {
        superpageCount = 0;
        flushFetches();
        if (fillCount > FILL_LOG) {
            System.arraycopy(EMPTY_DATA, 0, data, base, LENGTH);
        } else {
            for (int i = 0; i < fillCount; i++) {
                int entry = base + (fills[i] << 2);
                data[entry + LOAD_TAG] = -1;
                data[entry + LOAD_ADDEND] = -1;
                data[entry + STORE_TAG] = -1;
                data[entry + STORE_ADDEND] = -1;
            }
        }
        fillCount = 0;
    }

    /** Drops the store entries (a page became a code page). */
    public void flushStores() {
        for (int i = 0, visited = visited(); i < visited; i++) {
            data[base + (visitedIndex(i) << 2) + STORE_TAG] = -1;
        }
    }

    /**
     * Drops the fetch, load and store entries at one index (every page number that maps there).
     *
     * @param index the entry's index ({@code vpn & MASK})
     */
    public void flushSlot(int index) {
        int entry = base + (index << 2);
        data[entry + LOAD_TAG] = -1;
        data[entry + STORE_TAG] = -1;
        fetchTags[index] = -1;
        fetchPages[index] = null;
    }

    /**
     * An SFENCE.VMA with an address reached this TLB: drops that page's slot and, when the page lies in a superpage
     * entries were made from, every entry of that superpage (the fence covers the whole leaf); when more superpages
     * were used than are noted, every entry.
     *
     * @param va the fenced virtual address
     */
    public void fencePage(long va) {
        long vpn = va >>> 12;
        if (superpageCount > SUPERPAGES) {
            flush();
            return;
        }
        flushSlot((int) vpn & MASK);
        for (int i = 0; i < superpageCount; i++) {
            if (vpn >= superpageFirst[i] && vpn < superpageEnd[i]) {
                flushPages(superpageFirst[i], superpageEnd[i]);
            }
        }
    }

    // Drops the entries (fetch, load, store) that map a page in [first, end), looking at the filled ones only.
    private void flushPages(long first, long end) {
        for (int i = 0, visited = visited(); i < visited; i++) {
            flushPagesAt(visitedIndex(i), first, end);
        }
    }

    private void flushPagesAt(int index, long first, long end) {
        int entry = base + (index << 2);
        long load = data[entry + LOAD_TAG] & ~SLOW;
        if (load >= first && load < end) {
            data[entry + LOAD_TAG] = -1;
        }
        long store = data[entry + STORE_TAG] & ~SLOW;
        if (store >= first && store < end) {
            data[entry + STORE_TAG] = -1;
        }
        long fetch = fetchTags[index];
        if (fetch >= first && fetch < end) {
            fetchTags[index] = -1;
            fetchPages[index] = null;
        }
    }

    /**
     * Drops the store entries that reach a physical page (the page lost its write permission in the page tables
     * behind this TLB); other entries stay.
     *
     * @param physicalPage the page's physical base
     */
    public void flushStoresTo(long physicalPage) {
        for (int i = 0, visited = visited(); i < visited; i++) {
            dropStoreTo(base + (visitedIndex(i) << 2), physicalPage);
        }
    }

    private void dropStoreTo(int entry, long physicalPage) {
        long tag = data[entry + STORE_TAG];
        if (tag != -1 && ((tag & ~SLOW) << 12) + data[entry + STORE_ADDEND] == physicalPage) {
            data[entry + STORE_TAG] = -1;
        }
    }

    /** Drops the fetch entries (decoded code was discarded). */
    public void flushFetches() {
        if (fillCount > FILL_LOG) {
            System.arraycopy(EMPTY_TAGS, 0, fetchTags, 0, SIZE);
            System.arraycopy(NO_PAGES, 0, fetchPages, 0, SIZE);
        } else {
            for (int i = 0; i < fillCount; i++) {
                fetchTags[fills[i]] = -1;
                fetchPages[fills[i]] = null;
            }
        }
    }

    private static long[] emptyEntries(int length) {
        long[] empty = new long[length];
        Arrays.fill(empty, -1);
        return empty;
    }
}
