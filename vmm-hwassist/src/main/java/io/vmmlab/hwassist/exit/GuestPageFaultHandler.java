package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.AtomicValues;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.LoadValues;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.decode.CompressedExpander;
import io.vmmlab.cpu.trap.TransformedInstruction;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Handles guest-page faults (causes 20, 21, 23). The G-stage maps only the guest's RAM, so a fault means the guest
 * touched something else: a device window, which is emulated on the bus from htval (the guest-physical address)
 * and htinst (the transformed instruction; when it is 0 the instruction is read from guest memory and transformed
 * the same way); or nothing the guest owns (the VMM's region, unmapped space, the CLINT, whose timer and
 * software-interrupt registers the VMM itself uses ({@link GuestDeviceWindows}), a page-table walk outside RAM, an
 * instruction fetch from a device), which becomes the access fault real hardware would raise, delivered to the
 * guest kernel.
 */
public final class GuestPageFaultHandler {
    private static final long STATUS_FS = 3L << 13;

    private final MmioBus mmio;
    private final GuestDeviceWindows guestWindows;
    private final GuestInstructionReader instructions;
    private final ExitCounters counters;

    /**
     * Creates the handler.
     *
     * @param mmio the board's device windows
     * @param guestWindows the windows the guest may reach
     * @param instructions reads the faulting instruction when htinst is 0
     * @param counters where to count
     */
    public GuestPageFaultHandler(MmioBus mmio, GuestDeviceWindows guestWindows, GuestInstructionReader instructions,
            ExitCounters counters) {
        this.mmio = mmio;
        this.guestWindows = guestWindows;
        this.instructions = instructions;
        this.counters = counters;
    }

    /**
     * Handles one guest-page fault exit.
     *
     * @param hart the hart, stopped at the faulting instruction in VS/VU-mode
     * @param trap the fault
     */
    public void handle(Hart hart, PendingTrap trap) {
        long guestPhysical = trap.tval2() << 2 | (trap.tval() & 3);
        if (trap.code() != TrapCause.INSTRUCTION_GUEST_PAGE_FAULT
                && emulated(hart, transformed(hart, trap), guestPhysical)) {
            counters.guestPageFault("mmio");
            return;
        }
        counters.guestPageFault("access-fault");
        hart.takeTrap(accessFault(trap.code()), trap.tval());
    }

    /** Performs a load, store or atomic on a device the guest may reach; false when it is none or was refused. */
    private boolean emulated(Hart hart, long tinst, long guestPhysical) {
        Optional<MmioAccess> access = MmioAccess.decode(tinst);
        if (access.isPresent()) {
            return guestWindows.allows(guestPhysical, access.get().size())
                    && emulate(hart, access.get(), guestPhysical);
        }
        Optional<MmioAtomic> atomic = MmioAtomic.decode(tinst);
        return atomic.isPresent() && guestWindows.allows(guestPhysical, atomic.get().size())
                && emulate(hart, atomic.get(), guestPhysical);
    }

    /** htinst, or the instruction read from guest memory and transformed when the hart gave 0. */
    private long transformed(Hart hart, PendingTrap trap) {
        if (trap.tinst() != 0) {
            return trap.tinst();
        }
        OptionalInt bits = instructions.read(hart);
        if (bits.isEmpty()) {
            return 0;
        }
        counters.guestPageFault("instruction-read");
        int instruction = bits.getAsInt();
        int expanded = (instruction & 3) == 3 ? instruction : CompressedExpander.expand(instruction & 0xffff);
        return TransformedInstruction.of(instruction, hart.register((expanded >>> 15) & 31), trap.tval());
    }

    private boolean emulate(Hart hart, MmioAccess access, long guestPhysical) {
        try {
            if (access.store()) {
                int register = access.register();
                mmio.write(guestPhysical, access.size(),
                        access.floating() ? hart.floatRegister(register) : hart.register(register));
            } else {
                long value = mmio.read(guestPhysical, access.size());
                if (access.floating()) {
                    loadFloat(hart, access, value);
                } else {
                    hart.setRegister(access.register(), LoadValues.integer(value, access.size(), access.signed()));
                }
            }
        } catch (MemoryAccessException rejected) { // the device's refusal (anything else is its bug, named by the bus)
            return false;
        }
        counters.mmio(mmio, guestPhysical, access.store());
        hart.setPc(hart.pc() + access.length());
        return true;
    }

    /**
     * Performs an atomic on a device as the native hart does: an AMO reads, then writes, under the harts' atomic lock
     * (rd the old value, sign-extended for a word); LR is a load that gives the hart its reservation
     * ({@link Hart#loadReserved}); SC goes through the hart's reservation, so it succeeds after such an LR while the
     * device still holds the value read, and otherwise fails and writes nothing.
     */
    private boolean emulate(Hart hart, MmioAtomic atomic, long guestPhysical) {
        int size = atomic.size();
        try {
            hart.setRegister(atomic.rd(), AtomicValues.onDevice(hart, atomic.function(), guestPhysical, size,
                    hart.register(atomic.rs2()), () -> mmio.read(guestPhysical, size),
                    value -> mmio.write(guestPhysical, size, value)));
        } catch (MemoryAccessException rejected) {
            return false;
        }
        counters.mmio(mmio, guestPhysical, atomic.writes());
        hart.setPc(hart.pc() + MmioAtomic.LENGTH);
        return true;
    }

    /**
     * Completes FLW or FLD as the hart would in VS-mode: the f register (a word NaN-boxed), and FS Dirty in vsstatus
     * and in the HS-level mstatus (neither was Off, or the instruction would have raised illegal-instruction).
     */
    private static void loadFloat(Hart hart, MmioAccess access, long value) {
        hart.setFloatRegister(access.register(), LoadValues.floating(value, access.size()));
        hart.setCsrBits(CsrAddress.VSSTATUS, STATUS_FS);
        hart.setCsrBits(CsrAddress.MSTATUS, STATUS_FS);
    }

    private static int accessFault(int guestPageFault) {
        return switch (guestPageFault) {
            case TrapCause.INSTRUCTION_GUEST_PAGE_FAULT -> TrapCause.INSTRUCTION_ACCESS_FAULT;
            case TrapCause.LOAD_GUEST_PAGE_FAULT -> TrapCause.LOAD_ACCESS_FAULT;
            default -> TrapCause.STORE_ACCESS_FAULT;
        };
    }
}
