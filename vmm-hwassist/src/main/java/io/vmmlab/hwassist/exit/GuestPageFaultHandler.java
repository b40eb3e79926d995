package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.MemoryAccessException;

import java.util.Optional;

/**
 * Handles guest-page faults (causes 20, 21, 23). The G-stage maps only the guest's RAM, so a fault means the guest
 * touched something else: a device window, which is emulated on the bus from htval (the guest-physical address)
 * and htinst (the transformed instruction); or nothing the guest owns (the VMM's region, unmapped space, a
 * page-table walk outside RAM, an instruction fetch from a device), which becomes the access fault real hardware
 * would raise, delivered to the guest kernel.
 */
public final class GuestPageFaultHandler {
    private final MmioBus mmio;
    private final ExitCounters counters;

    /**
     * Creates the handler.
     *
     * @param mmio the board's device windows
     * @param counters where to count
     */
    public GuestPageFaultHandler(MmioBus mmio, ExitCounters counters) {
        this.mmio = mmio;
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
        Optional<MmioAccess> access = trap.code() == TrapCause.INSTRUCTION_GUEST_PAGE_FAULT
                ? Optional.empty() : MmioAccess.decode(trap.tinst());
        if (access.isPresent() && mmio.isMapped(guestPhysical) && emulate(hart, access.get(), guestPhysical)) {
            counters.guestPageFault("mmio");
            return;
        }
        counters.guestPageFault("access-fault");
        hart.takeTrap(accessFault(trap.code()), trap.tval());
    }

    private boolean emulate(Hart hart, MmioAccess access, long guestPhysical) {
        try {
            if (access.store()) {
                mmio.write(guestPhysical, access.size(), hart.register(access.register()));
            } else {
                long value = mmio.read(guestPhysical, access.size());
                if (access.signed() && access.size() < 8) {
                    int shift = 64 - 8 * access.size();
                    value = value << shift >> shift;
                }
                hart.setRegister(access.register(), value);
            }
        } catch (MemoryAccessException | IllegalArgumentException rejected) {
            return false;
        }
        counters.mmio(deviceName(guestPhysical) + (access.store() ? "-write" : "-read"));
        hart.setPc(hart.pc() + access.length());
        return true;
    }

    private String deviceName(long guestPhysical) {
        for (MmioBus.Mapping mapping : mmio.mappings()) {
            if (mapping.range().contains(guestPhysical, 1)) {
                return mapping.name();
            }
        }
        return "unmapped";
    }

    private static int accessFault(int guestPageFault) {
        return switch (guestPageFault) {
            case TrapCause.INSTRUCTION_GUEST_PAGE_FAULT -> TrapCause.INSTRUCTION_ACCESS_FAULT;
            case TrapCause.LOAD_GUEST_PAGE_FAULT -> TrapCause.LOAD_ACCESS_FAULT;
            default -> TrapCause.STORE_ACCESS_FAULT;
        };
    }
}
