package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;

import java.util.HashMap;
import java.util.Map;

/**
 * The address space a PV guest starts in, built by the VMM in its own RAM (Xen's domain builder does the same):
 * the guest's RAM mapped one to one with 4 KiB pages, RWX and U (the guest kernel runs in physical U-mode), and
 * nothing else. The hart never runs with translation off, so the guest never sees physical memory it does not
 * own. A page the guest pins as a page table loses W here too, so no mapping anywhere lets the guest write it.
 * The guest leaves this space for good with its first {@code NEW_BASEPTR}.
 */
public final class BootAddressSpace {
    private static final long LEAF = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D;
    private static final long MEGA = 1L << 21;

    private final GuestMemory physicalMemory;
    private final AddressRange guestRam;
    private final long root;
    private final long[] leafTables;

    private BootAddressSpace(GuestMemory physicalMemory, AddressRange guestRam, long root, long[] leafTables) {
        this.physicalMemory = physicalMemory;
        this.guestRam = guestRam;
        this.root = root;
        this.leafTables = leafTables;
    }

    /**
     * Returns how many VMM pages {@link #build} needs for a RAM size.
     *
     * @param ramBytes the guest's RAM
     * @return pages
     */
    public static long pagesNeeded(long ramBytes) {
        return 1 + (ramBytes + (1L << 30) - 1 >>> 30) + 1 + (ramBytes + MEGA - 1) / MEGA;
    }

    /**
     * Builds the identity map of the guest's RAM.
     *
     * @param allocator where the tables go
     * @param guestRam the guest's RAM, 4 KiB aligned
     * @return the address space
     * @throws IllegalStateException when the VMM region is too small
     */
    public static BootAddressSpace build(VmmPageAllocator allocator, AddressRange guestRam) {
        GuestMemory memory = allocator.memory();
        long root = allocateOrFail(allocator);
        Map<Integer, Long> middleTables = new HashMap<>();
        int chunks = (int) ((guestRam.size() + MEGA - 1) / MEGA);
        long[] leafTables = new long[chunks];
        for (long page = guestRam.base(); page < guestRam.end(); page += Sv39.PAGE_SIZE) {
            int chunk = (int) ((page - guestRam.base()) / MEGA);
            if (leafTables[chunk] == 0) {
                int rootIndex = Sv39.index(page, 2);
                Long middle = middleTables.get(rootIndex);
                if (middle == null) {
                    middle = allocateOrFail(allocator);
                    middleTables.put(rootIndex, middle);
                    memory.write64(root + 8L * rootIndex, Pte.entry(middle, Pte.V));
                }
                leafTables[chunk] = allocateOrFail(allocator);
                memory.write64(middle + 8L * Sv39.index(page, 1), Pte.entry(leafTables[chunk], Pte.V));
            }
            memory.write64(leafEntry(leafTables, guestRam, page), Pte.entry(page, LEAF));
        }
        return new BootAddressSpace(memory, guestRam, root, leafTables);
    }

    private static long allocateOrFail(VmmPageAllocator allocator) {
        long page = allocator.allocate();
        if (page < 0) {
            throw new IllegalStateException("the VMM region is too small for the boot address space");
        }
        return page;
    }

    private static long leafEntry(long[] leafTables, AddressRange guestRam, long page) {
        int chunk = (int) ((page - guestRam.base()) / MEGA);
        return leafTables[chunk] + 8L * Sv39.index(page, 0);
    }

    /**
     * Returns the root table.
     *
     * @return its physical address (in the VMM's region)
     */
    public long root() {
        return root;
    }

    /**
     * Takes write permission away from one guest page, or gives it back.
     *
     * @param page a page of the guest's RAM
     * @param writable the new permission
     */
    public void setWritable(long page, boolean writable) {
        if (!guestRam.contains(page, Sv39.PAGE_SIZE)) {
            return;
        }
        long entry = leafEntry(leafTables, guestRam, page);
        long value = physicalMemory.read64(entry);
        physicalMemory.write64(entry, writable ? value | Pte.W : value & ~Pte.W);
    }
}
