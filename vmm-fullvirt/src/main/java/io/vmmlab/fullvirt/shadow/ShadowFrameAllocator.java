package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;

/**
 * Hands out zeroed 4 KiB frames for shadow page tables from the VMM's private RAM ({@code Machine.vmmMemory()}),
 * which the guest can never map. A bump allocator: frames are not freed one by one; when the region is used up the
 * shadow manager drops every shadow table and calls {@link #reset()}.
 */
public final class ShadowFrameAllocator {
    private static final byte[] ZERO_PAGE = new byte[4096];

    private final GuestMemory physical;
    private final AddressRange region;
    private long next;

    /**
     * Creates the allocator.
     *
     * @param physical all of the board's RAM as the hart sees it
     * @param region the VMM's private region inside it
     */
    public ShadowFrameAllocator(GuestMemory physical, AddressRange region) {
        if ((region.base() & 0xfff) != 0 || (region.size() & 0xfff) != 0 || region.size() < 2 * 4096) {
            throw new IllegalArgumentException("VMM region must be page-aligned and hold at least two pages: "
                    + region);
        }
        this.physical = physical;
        this.region = region;
        this.next = region.base();
    }

    /**
     * Allocates one zeroed frame.
     *
     * @return its physical address, or -1 when the region is exhausted
     */
    public long allocate() {
        if (next >= region.end()) {
            return -1;
        }
        long frame = next;
        next += 4096;
        physical.write(frame, ZERO_PAGE, 0, ZERO_PAGE.length);
        return frame;
    }

    /** Makes every frame free again; the caller has dropped every table that used them. */
    public void reset() {
        next = region.base();
    }

    /**
     * Tells whether a physical address lies in the VMM's region.
     *
     * @param address a physical address
     * @return true inside the region
     */
    public boolean owns(long address) {
        return region.contains(address, 1);
    }

    /** @return frames handed out since the last reset */
    public long framesInUse() {
        return (next - region.base()) >>> 12;
    }
}
