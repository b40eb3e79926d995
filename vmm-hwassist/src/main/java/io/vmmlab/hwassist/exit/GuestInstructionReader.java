package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.GuestPageTables;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.csr.CsrAddress;

import java.util.OptionalInt;

/**
 * Reads the guest instruction at the hart's pc in software, for exits whose {@code htinst} is 0 (a hart that does
 * not write transformed instructions): walks the guest's VS-stage tables ({@code vsatp}) in guest RAM with vmm-api's
 * {@link GuestPageTables}, where guest-physical equals supervisor-physical under this VMM's identity G-stage, and reads
 * one or two 16-bit parcels. Only a valid leaf with execute permission counts; A/D bits are left alone, as a read by
 * the VMM is not a guest access. Anything unexpected (an address outside guest RAM, a bad PTE) gives nothing.
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
        return GuestPageTables.instruction(memory, hart.readCsr(CsrAddress.VSATP), hart.pc(), Pte.X);
    }
}
