package io.vmmlab.api.memory;

import io.vmmlab.api.cpu.AddressTranslation;

import java.util.OptionalInt;

/**
 * A look-up in a guest's RV64 page tables (Bare, Sv39, Sv48, Sv57) made by the VMM for itself, not by a hart: it sets
 * no A or D bit and checks no permission but those asked for, as when a VMM reads the instruction an exit came from
 * or a debugger reads memory at the guest's virtual addresses. Tables and pages are in the memory given (guest RAM,
 * guest-physical equal to its own addresses); a table outside it, like an invalid or misaligned entry, maps nothing.
 */
public final class GuestPageTables {

    private GuestPageTables() {
    }

    /**
     * Translates a virtual address.
     *
     * @param memory where the tables are
     * @param atp the address-translation register (satp or vsatp)
     * @param va the virtual address
     * @param required the permission bits the leaf must have ({@link Pte#X} for an instruction; 0 for none)
     * @return the physical address, or -1 when nothing maps it
     */
    public static long physical(GuestMemory memory, long atp, long va, long required) {
        int levels = AddressTranslation.levels(atp); // Sv39, Sv48 or Sv57; 0 for Bare
        if (levels == 0) {
            return va;
        }
        if (AddressTranslation.canonical(va, levels) != va) {
            return -1; // not sign-extended: no mapping
        }
        try {
            long table = Pte.rootPpn(atp) << 12;
            for (int level = levels - 1; level >= 0; level--) {
                int shift = 12 + 9 * level;
                long pte = memory.read64(table + ((va >>> shift) & 511) * 8);
                if ((pte & Pte.V) == 0 || (pte & (Pte.R | Pte.W)) == Pte.W) {
                    return -1;
                }
                long base = Pte.address(pte);
                if (Pte.isLeaf(pte)) {
                    long pageMask = (1L << shift) - 1;
                    return (pte & required) != required || (base & pageMask) != 0 ? -1 : base | (va & pageMask);
                }
                table = base;
            }
            return -1;
        } catch (MemoryAccessException tableOutsideMemory) {
            return -1;
        }
    }

    /**
     * Reads the instruction at a virtual address: one 16-bit parcel, and a second when the first says the
     * instruction is 32 bits long.
     *
     * @param memory where the tables and the code are
     * @param atp the address-translation register
     * @param va the instruction's virtual address
     * @param required the permission bits its page's leaf must have
     * @return the instruction (a compressed one in the low 16 bits), or empty when it cannot be read
     */
    public static OptionalInt instruction(GuestMemory memory, long atp, long va, long required) {
        try {
            long first = physical(memory, atp, va, required);
            if (first < 0) {
                return OptionalInt.empty();
            }
            int low = memory.read16(first);
            if ((low & 3) != 3) {
                return OptionalInt.of(low);
            }
            long second = physical(memory, atp, va + 2, required);
            return second < 0 ? OptionalInt.empty() : OptionalInt.of(low | memory.read16(second) << 16);
        } catch (MemoryAccessException outsideMemory) {
            return OptionalInt.empty();
        }
    }
}
