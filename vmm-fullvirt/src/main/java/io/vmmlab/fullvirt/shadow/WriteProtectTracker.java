package io.vmmlab.fullvirt.shadow;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Remembers which guest pages hold page tables that shadow entries were derived from, where each was used (which
 * shadow context, level and virtual range), and which shadow leaves map each guest page (a reverse map), so that
 * guest page-table pages can be write-protected in every shadow and a traced PTE write invalidates exactly the
 * shadow entries built from it.
 */
public final class WriteProtectTracker {
    private final Map<Long, Set<TableUse>> uses = new HashMap<>();
    private final Map<Long, Set<Long>> mappings = new HashMap<>();
    private final Map<Long, Integer> writes = new HashMap<>();

    /**
     * Records that a walk used a guest page as a page table.
     *
     * @param page the guest-physical page
     * @param use where it was used
     * @return true when the page was not tracked before (its existing mappings must be write-protected)
     */
    public boolean track(long page, TableUse use) {
        writes.remove(page);
        Set<TableUse> set = uses.get(page);
        if (set == null) {
            set = new HashSet<>();
            uses.put(page, set);
            set.add(use);
            return true;
        }
        set.add(use);
        return false;
    }

    /**
     * Tells whether a guest page holds a tracked page table.
     *
     * @param page the guest-physical page
     * @return true when tracked
     */
    public boolean isTracked(long page) {
        return uses.containsKey(page);
    }

    /**
     * Returns where a tracked page was used.
     *
     * @param page the guest-physical page
     * @return the uses, empty when untracked
     */
    public Set<TableUse> uses(long page) {
        return uses.getOrDefault(page, Set.of());
    }

    /**
     * Records a shadow leaf that maps a guest page.
     *
     * @param page the guest-physical page
     * @param slot the physical address of the shadow PTE
     */
    public void recordMapping(long page, long slot) {
        mappings.computeIfAbsent(page, key -> new HashSet<>()).add(slot);
    }

    /**
     * Returns the shadow leaves that may map a guest page (some may have been cleared or reused since).
     *
     * @param page the guest-physical page
     * @return shadow PTE addresses
     */
    public Set<Long> mappings(long page) {
        return mappings.getOrDefault(page, Set.of());
    }

    /**
     * Counts one traced write to a tracked page since it was last used by a walk.
     *
     * @param page the guest-physical page
     * @return the count
     */
    public int noteWrite(long page) {
        return writes.merge(page, 1, Integer::sum);
    }

    /**
     * Stops tracking a page.
     *
     * @param page the guest-physical page
     */
    public void untrack(long page) {
        uses.remove(page);
        writes.remove(page);
    }

    /** Forgets everything (every shadow table was dropped). */
    public void clear() {
        uses.clear();
        mappings.clear();
        writes.clear();
    }

    /** @return how many guest pages are tracked as page tables */
    public int trackedPages() {
        return uses.size();
    }

    /**
     * One use of a guest page-table page by a shadow context. Its own equals and hashCode: a record's generated ones
     * are bootstrapped at their first call (the start-up cache does not keep that linkage), which cost Linux's boot
     * under fullvirt 10-12 ms at its first tracked page table.
     *
     * @param context the shadow context's key (the guest satp's mode and root)
     * @param level the table's level (the root's is 2, 3 or 4 for an Sv39, Sv48 or Sv57 guest)
     * @param vaBase the first virtual address the table covers
     */
    public record TableUse(long context, int level, long vaBase) {
        @Override
        public boolean equals(Object other) {
            return other instanceof TableUse use && use.context == context && use.level == level
                    && use.vaBase == vaBase;
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(context) * 31 + level) * 31 + Long.hashCode(vaBase);
        }
    }
}
