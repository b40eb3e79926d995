package io.vmmlab.hwassist.gstage;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;

/**
 * The G-stage page tables (Sv39x4, Sv48x4 or Sv57x4, Priv. spec ch. 21 "Guest Physical Address Translation") that
 * keep the guest inside its RAM: guest-physical addresses of the guest's RAM map to the same supervisor-physical
 * addresses, with user-level read, write and execute permission and A/D preset; nothing else is mapped, so device
 * windows, the VMM's region and every other address raise guest-page faults that exit to the VMM.
 *
 * <p>The tables live in the VMM's private RAM, never in guest RAM: the 16 KiB root, one table per level above
 * level 1 on the way to the RAM, one level-1 table per GiB touched and level-0 tables only for RAM edges that are
 * not 2 MiB aligned (2 MiB megapages elsewhere). They are built once; the guest cannot reach them, so they never
 * change while it runs. A deeper mode maps the same RAM with the same leaves: a G-stage walk just reads more levels,
 * as KVM's would on a hart that offers them (it picks the largest hgatp mode the hart keeps).
 */
public final class GStageTables {
    private static final long LEAF = V | R | W | X | U | A | D;
    private static final long PAGE = 4096;
    private static final long MEGAPAGE = 2L << 20;
    private static final long ROOT_BYTES = 16 * 1024;

    private final GuestMemory physical;
    private final AddressRange region;
    private final long root;
    private final AddressTranslation mode;
    private long next;
    private long pages;

    /**
     * Builds the tables.
     *
     * @param physical all of the board's RAM (guest's and VMM's)
     * @param region the VMM's private region, where the tables go
     * @param guestRam the guest's RAM, mapped at its own address
     * @param mode Sv39, Sv48 or Sv57: the tables are of its x4 variant
     * @throws IllegalArgumentException when the region is too small or the RAM lies beyond the mode's reach
     */
    public GStageTables(GuestMemory physical, AddressRange region, AddressRange guestRam, AddressTranslation mode) {
        long limit = 1L << (12 + 9 * mode.levels() + 2); // the x4 variant's guest-physical addresses
        if (guestRam.end() > limit || (guestRam.base() & (PAGE - 1)) != 0 || (guestRam.size() & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("guest RAM " + guestRam + " cannot be mapped by " + name(mode)
                    + " 4 KiB pages");
        }
        if (region.overlaps(guestRam)) {
            throw new IllegalArgumentException("VMM region " + region + " overlaps guest RAM " + guestRam);
        }
        this.physical = physical;
        this.region = region;
        this.mode = mode;
        this.root = (region.base() + ROOT_BYTES - 1) & -ROOT_BYTES;
        this.next = root + ROOT_BYTES;
        if (next > region.end()) {
            throw new IllegalArgumentException("VMM region " + region + " has no room for a G-stage root");
        }
        zero(root, ROOT_BYTES);
        pages = ROOT_BYTES / PAGE;
        map(guestRam);
    }

    private void map(AddressRange ram) {
        long address = ram.base();
        while (address < ram.end()) {
            boolean megapage = (address & (MEGAPAGE - 1)) == 0 && ram.end() - address >= MEGAPAGE;
            int top = mode.levels() - 1;
            long level1 = root;
            for (int level = top; level >= 2; level--) { // the root's index has two more bits
                level1 = table(level1, (address >>> (12 + 9 * level)) & (level == top ? 0x7ff : 0x1ff));
            }
            if (megapage) {
                physical.write64(level1 + ((address >>> 21) & 0x1ff) * 8, Pte.entry(address, LEAF));
                address += MEGAPAGE;
            } else {
                long level0 = table(level1, (address >>> 21) & 0x1ff);
                physical.write64(level0 + ((address >>> 12) & 0x1ff) * 8, Pte.entry(address, LEAF));
                address += PAGE;
            }
        }
    }

    /** Returns the next-level table an entry points to, creating it when the entry is empty. */
    private long table(long table, long index) {
        long entryAddress = table + index * 8;
        long entry = physical.read64(entryAddress);
        if ((entry & V) != 0) {
            return Pte.address(entry);
        }
        if (next + PAGE > region.end()) {
            throw new IllegalArgumentException("VMM region " + region + " is too small for the G-stage tables");
        }
        long created = next;
        next += PAGE;
        pages++;
        zero(created, PAGE);
        physical.write64(entryAddress, Pte.entry(created, V));
        return created;
    }

    private void zero(long address, long length) {
        byte[] zeros = new byte[(int) length];
        physical.write(address, zeros, 0, zeros.length);
    }

    /**
     * Returns the hgatp value that selects these tables.
     *
     * @param vmid the virtual-machine identifier
     * @return MODE (the x4 variant's, the same number as satp's), VMID, root PPN
     */
    public long hgatp(int vmid) {
        return (long) mode.satpMode() << 60 | ((long) vmid & 0x3fff) << 44 | root >>> 12;
    }

    /** Returns the mode whose x4 variant the tables are. */
    public AddressTranslation mode() {
        return mode;
    }

    /**
     * Names the G-stage mode of a translation mode.
     *
     * @param mode Sv39, Sv48 or Sv57
     * @return such as {@code Sv57x4}
     */
    public static String name(AddressTranslation mode) {
        return "Sv" + (12 + 9 * mode.levels()) + "x4";
    }

    /** Returns the root table's address. */
    public long root() {
        return root;
    }

    /** Returns the 4 KiB pages the tables occupy. */
    public long pages() {
        return pages;
    }

    /**
     * Tells whether a supervisor-physical address lies in the tables' region (the guest must never reach it).
     *
     * @param address an address
     * @return true inside the VMM region
     */
    public boolean isVmmMemory(long address) {
        return region.contains(address, 1);
    }
}
