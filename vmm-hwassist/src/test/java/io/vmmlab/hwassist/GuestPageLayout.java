package io.vmmlab.hwassist;

import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;

import static io.vmmlab.hwassist.GuestHarness.CODE;
import static io.vmmlab.hwassist.GuestHarness.DATA;
import static io.vmmlab.hwassist.GuestHarness.ROOT;

/**
 * The guest's own (VS-stage) page tables for {@link NativeEquivalenceTest}, written into guest RAM before either run:
 * identity gigapages over the devices (kernel RW) and over RAM (kernel RWX, where the code runs), and at
 * 0x4000_0000 a level-1 and a level-0 table of unusual entries, one 4 KiB page each. Sv48 and Sv57 roots reach the
 * same Sv39 root through their first entries, so the three depths translate every address of the layout alike.
 */
final class GuestPageLayout {
    static final long LEVEL1 = ROOT + 0x1000;
    static final long LEVEL0 = ROOT + 0x2000;
    static final long ROOT_SV48 = ROOT + 0x3000;
    static final long ROOT_SV57 = ROOT + 0x4000;
    static final long UART = 0x1000_0000L;
    static final long DEVICE = 0x1000_1000L;
    static final long SATP_SV39 = 8L << 60 | ROOT >>> 12;
    static final long SATP_SV48 = 9L << 60 | ROOT_SV48 >>> 12;
    static final long SATP_SV57 = 10L << 60 | ROOT_SV57 >>> 12;
    /** The level-0 pages, at 0x4000_0000 + 0x1000 * index. */
    static final long KERNEL_RW_FRESH = 0x4000_0000L;   // V R W: A and D clear
    static final long KERNEL_READ_ONLY = 0x4000_1000L;
    static final long USER_RW = 0x4000_2000L;
    static final long USER_CODE = 0x4000_3000L;          // user RX over CODE + 0x3000: the user-mode cases' code
    static final long KERNEL_EXECUTE_ONLY = 0x4000_4000L;
    static final long KERNEL_RW = 0x4000_5000L;          // A and D set
    static final long KERNEL_RW_NEXT = 0x4000_6000L;     // virtually after KERNEL_RW, physically elsewhere
    static final long BEYOND_RAM = 0x4000_7000L;
    static final long VMM_REGION = 0x4000_8000L;         // the VMM's region under hwassist, no memory natively
    static final long KERNEL_RW_CLEAN = 0x4000_9000L;    // A set, D clear
    static final long EXECUTE_FRESH = 0x4000_a000L;      // V X: A clear
    static final long UART_PAGE = 0x4000_b000L;
    static final long DEVICE_PAGE = 0x4000_c000L;
    /** The level-1 entries, at 0x4000_0000 + 2 MiB * index. */
    static final long MEGAPAGE = 0x4020_0000L;           // onto guest RAM's first 2 MiB
    static final long MISALIGNED_MEGAPAGE = 0x4040_0000L;
    static final long TABLE_BEYOND_RAM = 0x4060_0000L;
    static final long TABLE_IN_VMM_REGION = 0x4080_0000L;
    /** Where the physical pages behind the level-0 entries lie. */
    static final long FRESH_FRAME = DATA;
    static final long RW_FRAME = DATA + 0x4000;
    static final long NEXT_FRAME = DATA + 0x7000;
    static final long EXECUTE_FRESH_FRAME = DATA + 0x6000;

    private GuestPageLayout() {
    }

    /** Writes the tables, and a distinct doubleword at offset 8 of each data page, into guest RAM. */
    static void writeTo(GuestMemory memory) {
        memory.write64(ROOT, Pte.entry(0, 0xc7));
        memory.write64(ROOT + 8, Pte.entry(LEVEL1, Pte.V));
        memory.write64(ROOT + 16, Pte.entry(0x8000_0000L, 0xcf));
        memory.write64(ROOT_SV48, Pte.entry(ROOT, Pte.V));
        memory.write64(ROOT_SV57, Pte.entry(ROOT_SV48, Pte.V));
        memory.write64(LEVEL1, Pte.entry(LEVEL0, Pte.V));
        memory.write64(LEVEL1 + 8, Pte.entry(0x8000_0000L, 0xc7));
        memory.write64(LEVEL1 + 16, Pte.entry(DATA, 0xc7));
        memory.write64(LEVEL1 + 24, Pte.entry(0x9000_0000L, Pte.V));
        memory.write64(LEVEL1 + 32, Pte.entry(GuestHarness.VMM_BASE, Pte.V));
        long[][] pages = {
            {FRESH_FRAME, 0x07}, {DATA + 0x1000, 0x43}, {DATA + 0x2000, 0xd7}, {CODE + 0x3000, 0x5b},
            {DATA + 0x3000, 0x49}, {RW_FRAME, 0xc7}, {NEXT_FRAME, 0xc7}, {0x9000_0000L, 0xc7},
            {GuestHarness.VMM_BASE, 0xc7}, {DATA + 0x5000, 0x47}, {EXECUTE_FRESH_FRAME, 0x09}, {UART, 0xc7},
            {DEVICE, 0xc7},
        };
        for (int i = 0; i < pages.length; i++) {
            memory.write64(LEVEL0 + 8L * i, Pte.entry(pages[i][0], pages[i][1]));
        }
        for (int i = 0; i < 8; i++) {
            memory.write64(DATA + 0x1000L * i + 8, 0x0101_0101_0101_0101L * (i + 1));
        }
    }

    static long pte(long address, long flags) {
        return Pte.entry(address, flags);
    }
}
