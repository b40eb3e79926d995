package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.AddressRange;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the VMM knows about every guest page: whether it is a pinned page-table page and of which level, how many
 * writable leaf entries of pinned tables map it, and which entries of pinned tables point to it as a next-level
 * table. This is Xen's page type and reference count, reduced to what Sv39 and this ABI need.
 */
public final class PageTableRegistry {
    private static final byte NOT_PINNED = -1;

    private final AddressRange guestRam;
    private final byte[] levels;
    private final int[] writableMappings;
    private final Map<Long, Set<Long>> parentEntries = new HashMap<>();
    private int pinnedCount;

    /**
     * Creates an empty registry.
     *
     * @param guestRam the guest's RAM
     */
    public PageTableRegistry(AddressRange guestRam) {
        this.guestRam = Objects.requireNonNull(guestRam, "guestRam is null");
        int pages = (int) (guestRam.size() / Sv39.PAGE_SIZE);
        this.levels = new byte[pages];
        this.writableMappings = new int[pages];
        Arrays.fill(levels, NOT_PINNED);
    }

    /**
     * Tells whether a page lies in the guest's RAM.
     *
     * @param page a physical address
     * @return true inside the guest's RAM
     */
    public boolean isGuestPage(long page) {
        return guestRam.contains(page, Sv39.PAGE_SIZE);
    }

    private int frame(long page) {
        return (int) ((page - guestRam.base()) / Sv39.PAGE_SIZE);
    }

    /**
     * Returns the level of a pinned page-table page.
     *
     * @param page a physical address (any address inside the page)
     * @return 0 to 2, or -1 when the page is not a pinned page-table page or not guest RAM
     */
    public int level(long page) {
        long base = page & ~(Sv39.PAGE_SIZE - 1);
        return isGuestPage(base) ? levels[frame(base)] : NOT_PINNED;
    }

    /**
     * Tells whether a page is a pinned page-table page.
     *
     * @param page a physical address
     * @return true when pinned
     */
    public boolean isPinned(long page) {
        return level(page) >= 0;
    }

    void pin(long page, int level) {
        levels[frame(page)] = (byte) level;
        pinnedCount++;
    }

    void unpin(long page) {
        levels[frame(page)] = NOT_PINNED;
        pinnedCount--;
        parentEntries.remove(page);
    }

    /**
     * Returns how many pages are pinned.
     *
     * @return the count
     */
    public int pinnedCount() {
        return pinnedCount;
    }

    /**
     * Returns how many writable leaf entries of pinned tables map a page.
     *
     * @param page a guest page
     * @return the count
     */
    public int writableMappings(long page) {
        return isGuestPage(page) ? writableMappings[frame(page)] : 0;
    }

    void addWritableMapping(long page, int delta) {
        if (isGuestPage(page)) {
            int frame = frame(page);
            writableMappings[frame] = Math.max(0, writableMappings[frame] + delta);
        }
    }

    void addParent(long child, long entryAddress) {
        parentEntries.computeIfAbsent(child, key -> new HashSet<>()).add(entryAddress);
    }

    void removeParent(long child, long entryAddress) {
        Set<Long> parents = parentEntries.get(child);
        if (parents != null) {
            parents.remove(entryAddress);
            if (parents.isEmpty()) {
                parentEntries.remove(child);
            }
        }
    }

    Set<Long> parents(long child) {
        Set<Long> parents = parentEntries.get(child);
        return parents == null ? Set.of() : Set.copyOf(parents);
    }
}
