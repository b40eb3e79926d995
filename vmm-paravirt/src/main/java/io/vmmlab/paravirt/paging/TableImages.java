package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.GuestMemory;

import java.util.HashMap;
import java.util.Map;

/**
 * The validated entries of every pinned table, kept by the VMM apart from guest RAM. The hart walks the tables in
 * guest RAM, and only the VMM stores there, except a device: with no IOMMU, a disk read can land on a pinned table.
 * These copies are what the VMM puts back then (PV-ABI.md, "Known limits").
 */
final class TableImages {
    private final Map<Long, long[]> entriesByTable = new HashMap<>();

    /**
     * Copies a table that was just validated.
     *
     * @param memory where it is
     * @param table its page
     */
    void record(GuestMemory memory, long table) {
        long[] entries = new long[Sv39.ENTRIES];
        for (int index = 0; index < Sv39.ENTRIES; index++) {
            entries[index] = memory.read64(table + 8L * index);
        }
        entriesByTable.put(table, entries);
    }

    /**
     * Records a validated entry write.
     *
     * @param entryAddress the entry, inside a recorded table
     * @param value its new value
     */
    void set(long entryAddress, long value) {
        long[] entries = entriesByTable.get(entryAddress & ~(Sv39.PAGE_SIZE - 1));
        if (entries != null) {
            entries[index(entryAddress)] = value;
        }
    }

    /**
     * Returns a validated entry.
     *
     * @param entryAddress the entry, inside a recorded table
     * @return its value
     */
    long get(long entryAddress) {
        return entriesByTable.get(entryAddress & ~(Sv39.PAGE_SIZE - 1))[index(entryAddress)];
    }

    /**
     * Forgets an unpinned table.
     *
     * @param table its page
     */
    void forget(long table) {
        entriesByTable.remove(table);
    }

    private static int index(long entryAddress) {
        return (int) ((entryAddress & (Sv39.PAGE_SIZE - 1)) >>> 3);
    }
}
