package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.csr.CsrAddress;

import java.util.OptionalInt;

/**
 * Reads the guest instruction at the hart's pc in software, for exits whose {@code htinst} is 0 (a hart that does
 * not write transformed instructions): walks the guest's VS-stage tables ({@code vsatp}: Bare, Sv39 or Sv48) in
 * guest RAM, where guest-physical equals supervisor-physical under this VMM's identity G-stage, and reads one or
 * two 16-bit parcels. Only a valid leaf with execute permission counts; A/D bits are left alone, as a read by the
 * VMM is not a guest access. Anything unexpected (an address outside guest RAM, a bad PTE) gives nothing.
 */
public final class GuestInstructionReader {

    private final GuestMemory memory;

    /**
     * Creates the reader.
     *
     * @param memory the guest's RAM
     */
    public GuestInstructionReader(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Reads the instruction at the hart's pc.
     *
     * @param hart the hart, stopped in VS/VU-mode
     * @return the instruction (a compressed one in the low 16 bits), or empty when it cannot be read
     */
    public OptionalInt read(Hart hart) {
        long pc = hart.pc();
        long vsatp = hart.readCsr(CsrAddress.VSATP);
        try {
            long first = translate(pc, vsatp);
            if (first < 0) {
                return OptionalInt.empty();
            }
            int low = memory.read16(first);
            if ((low & 3) != 3) {
                return OptionalInt.of(low);
            }
            long second = translate(pc + 2, vsatp);
            return second < 0 ? OptionalInt.empty() : OptionalInt.of(low | memory.read16(second) << 16);
        } catch (MemoryAccessException outsideGuestRam) {
            return OptionalInt.empty();
        }
    }

    private long translate(long va, long vsatp) {
        long mode = vsatp >>> 60;
        int levels = mode == 8 ? 3 : mode == 9 ? 4 : 0;
        if (levels == 0) {
            return va;
        }
        long table = Pte.rootPpn(vsatp) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            int shift = 12 + 9 * level;
            long pte = memory.read64(table + ((va >>> shift) & 0x1ff) * 8);
            if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0)) {
                return -1;
            }
            long base = Pte.address(pte);
            if ((pte & (Pte.R | Pte.X)) != 0) {
                long pageMask = (1L << shift) - 1;
                return (pte & Pte.X) == 0 || (base & pageMask) != 0 ? -1 : base | (va & pageMask);
            }
            table = base;
        }
        return -1;
    }
}
