package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Hands out zeroed 4 KiB pages of the VMM's reserved RAM ({@code Machine.vmmMemory()}), which the guest can never
 * map: the boot address space and the user-view roots live there.
 */
public final class VmmPageAllocator {
    private final GuestMemory physicalMemory;
    private final AddressRange range;
    private final Deque<Long> freed = new ArrayDeque<>();
    private long next;

    /**
     * Creates the allocator.
     *
     * @param physicalMemory all of the board's RAM
     * @param range the VMM's region
     */
    public VmmPageAllocator(GuestMemory physicalMemory, AddressRange range) {
        this.physicalMemory = Objects.requireNonNull(physicalMemory, "physicalMemory is null");
        this.range = Objects.requireNonNull(range, "range is null");
        this.next = range.base();
    }

    /**
     * Allocates a zeroed page.
     *
     * @return its physical address, or -1 when the region is used up
     */
    public long allocate() {
        long page;
        if (!freed.isEmpty()) {
            page = freed.pop();
        } else if (next + Sv39.PAGE_SIZE <= range.end()) {
            page = next;
            next += Sv39.PAGE_SIZE;
        } else {
            return -1;
        }
        for (long offset = 0; offset < Sv39.PAGE_SIZE; offset += 8) {
            physicalMemory.write64(page + offset, 0);
        }
        return page;
    }

    /**
     * Returns a page to the pool.
     *
     * @param page a page {@link #allocate()} returned
     */
    public void free(long page) {
        freed.push(page);
    }

    /**
     * Returns the memory the pages live in.
     *
     * @return all of the board's RAM
     */
    public GuestMemory memory() {
        return physicalMemory;
    }
}
