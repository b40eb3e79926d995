package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.paravirt.hypercall.PvError;

import java.util.Objects;

/**
 * The judge of direct paging: every page-table write of a PV guest goes through here, and so does every pin and
 * unpin. The invariants it keeps, for every pinned table reachable by the hart:
 * <ul>
 *   <li>a leaf maps one 4 KiB page of the guest's RAM, with U set (no superpages, no device or VMM memory);</li>
 *   <li>a leaf that maps a pinned page-table page is read-only, and a page with writable mappings cannot be
 *       pinned, so the guest can never store into a page table;</li>
 *   <li>a non-leaf entry of a level-n table points to a pinned table of level n-1.</li>
 * </ul>
 * Unpinning a table detaches it: every pinned entry that points to it is cleared first, so a page that becomes
 * writable is no longer reachable as a table. A device write into a pinned table (there is no IOMMU) is undone.
 */
public final class PageTableValidator {
    private static final long RESERVED_BITS = ~((1L << 54) - 1);
    private static final long NON_LEAF_FORBIDDEN = Pte.U | Pte.A | Pte.D;
    private static final long SET_BY_THE_HART = Pte.A | Pte.D;

    private final GuestMemory memory;
    private final PageTableRegistry registry;
    private final UserViewRoots userViews;
    private final BootAddressSpace bootSpace;
    private final TableImages images = new TableImages();
    private long sharedPage = -1;
    private boolean flushNeeded;

    /**
     * Creates the validator.
     *
     * @param memory the guest's RAM, where its tables live
     * @param registry the page-table bookkeeping
     * @param userViews the user views of pinned roots
     * @param bootSpace the boot address space, whose mappings of pinned pages lose W
     */
    public PageTableValidator(GuestMemory memory, PageTableRegistry registry, UserViewRoots userViews,
                              BootAddressSpace bootSpace) {
        this.memory = Objects.requireNonNull(memory, "memory is null");
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.userViews = Objects.requireNonNull(userViews, "userViews is null");
        this.bootSpace = Objects.requireNonNull(bootSpace, "bootSpace is null");
    }

    /**
     * Names the guest's shared page, which may never become a page table.
     *
     * @param page its address
     */
    public void setSharedPage(long page) {
        this.sharedPage = page;
    }

    /**
     * Tells whether a change since the last call took rights away from a mapping the hart may have cached, and
     * forgets it.
     *
     * @return true when the caller must flush the hart's TLB
     */
    public boolean takeFlushNeeded() {
        boolean needed = flushNeeded;
        flushNeeded = false;
        return needed;
    }

    /**
     * Checks one entry value for a table of a level.
     *
     * @param level the table's level
     * @param value the entry
     * @param self the table's own page (it may not map itself writable or as a next-level table), or -1
     * @return {@link PvError#OK} or the refusal's code
     */
    public long check(int level, long value, long self) {
        if ((value & Pte.V) == 0) {
            return PvError.OK;
        }
        if ((value & RESERVED_BITS) != 0 || (value & (Pte.R | Pte.W)) == Pte.W) {
            return PvError.EINVAL;
        }
        long target = Pte.address(value);
        if (!Pte.isLeaf(value)) {
            if (level == 0 || (value & NON_LEAF_FORBIDDEN) != 0 || target == self) {
                return PvError.EINVAL;
            }
            return registry.level(target) == level - 1 ? PvError.OK : PvError.EINVAL;
        }
        if (level != 0 || (value & Pte.U) == 0) {
            return PvError.EINVAL;
        }
        if (!registry.isGuestPage(target)) {
            return PvError.EPERM;
        }
        if ((value & Pte.W) != 0 && (registry.isPinned(target) || target == self)) {
            return PvError.EPERM;
        }
        return PvError.OK;
    }

    /**
     * Validates and applies one page-table entry write.
     *
     * @param entryAddress the guest-physical address of the entry, inside a pinned table
     * @param value the new entry
     * @return {@link PvError#OK} or the refusal's code; a refused update changes nothing
     */
    public long update(long entryAddress, long value) {
        int level = registry.level(entryAddress);
        if (level < 0) {
            return registry.isGuestPage(entryAddress & ~(Sv39.PAGE_SIZE - 1)) ? PvError.EINVAL : PvError.EFAULT;
        }
        if ((entryAddress & 7) != 0) {
            return PvError.EINVAL;
        }
        long table = entryAddress & ~(Sv39.PAGE_SIZE - 1);
        long error = check(level, value, table);
        if (error != PvError.OK) {
            return error;
        }
        long old = memory.read64(entryAddress);
        account(level, entryAddress, old, -1);
        memory.write64(entryAddress, value);
        images.set(entryAddress, value);
        account(level, entryAddress, value, 1);
        if (level == Sv39.ROOT_LEVEL) {
            userViews.update(table, (int) ((entryAddress - table) / 8), value);
        }
        if ((old & Pte.V) != 0) {
            flushNeeded = true;
        }
        return PvError.OK;
    }

    /**
     * Pins a page as a page-table page of a level after validating every entry it holds.
     *
     * @param page a page-aligned guest-physical address
     * @param level 0 to 2
     * @return {@link PvError#OK} or the refusal's code
     */
    public long pin(long page, long level) {
        if ((page & (Sv39.PAGE_SIZE - 1)) != 0 || level < 0 || level > Sv39.ROOT_LEVEL) {
            return PvError.EINVAL;
        }
        if (!registry.isGuestPage(page)) {
            return PvError.EFAULT;
        }
        if (registry.isPinned(page)) {
            return PvError.EEXIST;
        }
        if (page == sharedPage) {
            return PvError.EPERM;
        }
        if (registry.writableMappings(page) > 0) {
            return PvError.EBUSY;
        }
        int tableLevel = (int) level;
        for (int index = 0; index < Sv39.ENTRIES; index++) {
            long error = check(tableLevel, memory.read64(page + 8L * index), page);
            if (error != PvError.OK) {
                return error;
            }
        }
        registry.pin(page, tableLevel);
        images.record(memory, page);
        if (tableLevel == Sv39.ROOT_LEVEL && !userViews.create(page)) {
            registry.unpin(page);
            images.forget(page);
            return PvError.ENOMEM;
        }
        for (int index = 0; index < Sv39.ENTRIES; index++) {
            account(tableLevel, page + 8L * index, memory.read64(page + 8L * index), 1);
        }
        bootSpace.setWritable(page, false);
        flushNeeded = true;
        return PvError.OK;
    }

    /**
     * Unpins a page-table page: clears every pinned entry that points to it, forgets its own entries, and lets it
     * be mapped writable again.
     *
     * @param page the table
     * @param currentRoot the root the hart uses now (it cannot be unpinned)
     * @return {@link PvError#OK} or the refusal's code
     */
    public long unpin(long page, long currentRoot) {
        if ((page & (Sv39.PAGE_SIZE - 1)) != 0) {
            return PvError.EINVAL;
        }
        int level = registry.level(page);
        if (level < 0) {
            return registry.isGuestPage(page) ? PvError.EINVAL : PvError.EFAULT;
        }
        if (page == currentRoot) {
            return PvError.EBUSY;
        }
        for (long parentEntry : registry.parents(page)) {
            update(parentEntry, 0);
        }
        for (int index = 0; index < Sv39.ENTRIES; index++) {
            account(level, page + 8L * index, memory.read64(page + 8L * index), -1);
        }
        if (level == Sv39.ROOT_LEVEL) {
            userViews.release(page);
        }
        registry.unpin(page);
        images.forget(page);
        bootSpace.setWritable(page, true);
        flushNeeded = true;
        return PvError.OK;
    }

    /**
     * A device wrote guest RAM (DMA): puts back the validated entries of any pinned table it wrote, as an IOMMU that
     * maps page tables read-only would have refused the write. Devices write while the hart is stopped (during an
     * MMIO hypercall or between run-loop slices), so the hart never walks what the device wrote and no flush is
     * needed. Accessed and dirty bits the hart set in a leaf since it was validated are kept where the device left
     * the rest of the entry as it was.
     *
     * @param address the first byte written
     * @param length the bytes written
     */
    public void deviceWrote(long address, long length) {
        if (length <= 0) {
            return;
        }
        long last = address + length - 1;
        for (long page = address & ~(Sv39.PAGE_SIZE - 1); Long.compareUnsigned(page, last) <= 0;
                page += Sv39.PAGE_SIZE) {
            if (registry.isPinned(page)) {
                long first = Math.max(page, address & ~7L);
                long end = Math.min(page + Sv39.PAGE_SIZE - 1, last);
                for (long entry = first; entry <= end; entry += 8) {
                    long validated = images.get(entry);
                    if (changedByDevice(memory.read64(entry), validated)) {
                        memory.write64(entry, validated);
                    }
                }
            }
            if (page + Sv39.PAGE_SIZE == 0) {
                break;
            }
        }
    }

    /** Tells whether an entry differs from its validated value by more than the bits the hart sets in a leaf. */
    private static boolean changedByDevice(long current, long validated) {
        long difference = current ^ validated;
        boolean hartBitsOnly = (difference & ~SET_BY_THE_HART) == 0 && (validated & Pte.V) != 0
                && Pte.isLeaf(validated);
        return difference != 0 && !hartBitsOnly;
    }

    private void account(int level, long entryAddress, long value, int delta) {
        if ((value & Pte.V) == 0) {
            return;
        }
        long target = Pte.address(value);
        if (Pte.isLeaf(value)) {
            if ((value & Pte.W) != 0) {
                registry.addWritableMapping(target, delta);
            }
        } else if (level > 0) {
            if (delta > 0) {
                registry.addParent(target, entryAddress);
            } else {
                registry.removeParent(target, entryAddress);
            }
        }
    }
}
