package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.hwassist.vcpu.VirtualInterrupts;

/**
 * Handles virtual-instruction exits (cause 22). WFI from VS-mode exits because hstatus.VTW is set: the VMM
 * completes it and lets the run loop idle the hart unless the guest already has an enabled interrupt pending. WFI
 * from VU-mode exits whatever VTW says (Priv. spec, H extension, "Virtual-Instruction Exceptions"); natively WFI in
 * U-mode is an illegal instruction for the kernel (mstatus.TW aside, Priv. spec §3.1.6.5), so it is one here too,
 * never a wait a user process could put the vCPU into. Anything else is an instruction the guest kernel may not use
 * in VS-mode (hypervisor CSRs, HLV, HFENCE) or its process in VU-mode: the guest gets the illegal-instruction
 * exception it would get on a machine without the H extension.
 */
public final class VirtualInstructionHandler {
    private static final long WFI = 0x1050_0073L;

    private final VirtualInterrupts interrupts;
    private final ExitCounters counters;

    /**
     * Creates the handler.
     *
     * @param interrupts tells whether the guest has an interrupt to take
     * @param counters where to count
     */
    public VirtualInstructionHandler(VirtualInterrupts interrupts, ExitCounters counters) {
        this.interrupts = interrupts;
        this.counters = counters;
    }

    /**
     * Handles one virtual-instruction exit.
     *
     * @param hart the hart, stopped at the instruction
     * @param trap the exit (xtval = the instruction bits)
     * @return what the run loop does next
     */
    public ExitAction handle(Hart hart, PendingTrap trap) {
        if (trap.tval() == WFI && trap.fromMode() == PrivilegeMode.SUPERVISOR) {
            counters.exit("wfi");
            hart.setPc(hart.pc() + 4);
            return interrupts.guestInterruptPending(hart) ? ExitAction.RESUME : ExitAction.WAIT_FOR_INTERRUPT;
        }
        counters.exit("virtual-instruction");
        hart.takeTrap(TrapCause.ILLEGAL_INSTRUCTION, trap.tval());
        return ExitAction.RESUME;
    }
}
