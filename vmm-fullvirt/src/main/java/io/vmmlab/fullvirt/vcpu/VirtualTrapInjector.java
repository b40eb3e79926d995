package io.vmmlab.fullvirt.vcpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;

import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.IP_SEIP;
import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.IP_SSIP;
import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.IP_STIP;
import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.SSTATUS_SIE;
import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.SSTATUS_SPIE;
import static io.vmmlab.fullvirt.vcpu.VirtualSupervisorState.SSTATUS_SPP;

/**
 * Enters and leaves the guest kernel's trap handler on the virtual state, as the hardware does for a real S-mode
 * (Privileged spec, "Supervisor Trap Vector", "sstatus", and SRET in "Trap-Return Instructions"), and decides when
 * a virtual interrupt is taken (section "Supervisor Interrupt Registers": SEI, then SSI, then STI).
 */
public final class VirtualTrapInjector {

    /**
     * Takes a trap into the guest kernel: sepc, scause, stval, sstatus.SPP/SPIE/SIE, virtual S-mode, pc = stvec; the
     * hart's LR reservation is dropped, as by a trap the hart takes itself.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     * @param cause the scause value (bit 63 for interrupts)
     * @param tval the stval value
     * @param pc the guest pc the trap interrupts
     */
    public void enterTrap(Hart hart, VirtualSupervisorState state, long cause, long tval, long pc) {
        state.setSepc(pc);
        state.setScause(cause);
        state.setStval(tval);
        long status = state.sstatus();
        status = state.supervisor() ? status | SSTATUS_SPP : status & ~SSTATUS_SPP;
        status = (status & SSTATUS_SIE) != 0 ? status | SSTATUS_SPIE : status & ~SSTATUS_SPIE;
        state.setSstatus(status & ~SSTATUS_SIE);
        state.setMode(PrivilegeMode.SUPERVISOR);
        long base = state.stvec() & ~3L;
        boolean vectored = (state.stvec() & 3) == 1;
        hart.setPc(cause < 0 && vectored ? base + 4L * (cause & 0x3f) : base);
        hart.clearReservation();
    }

    /**
     * Emulates SRET: pc = sepc, mode = SPP, SIE = SPIE, SPIE = 1, SPP = U; drops the hart's LR reservation, as SRET
     * does.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     */
    public void returnFromTrap(Hart hart, VirtualSupervisorState state) {
        long status = state.sstatus();
        state.setMode((status & SSTATUS_SPP) != 0 ? PrivilegeMode.SUPERVISOR : PrivilegeMode.USER);
        status = (status & SSTATUS_SPIE) != 0 ? status | SSTATUS_SIE : status & ~SSTATUS_SIE;
        state.setSstatus((status | SSTATUS_SPIE) & ~SSTATUS_SPP);
        hart.setPc(state.sepc());
        hart.clearReservation();
    }

    /**
     * Returns the interrupts the guest would see pending: the VMM-kept bits plus the real external line.
     *
     * @param state the guest's virtual state
     * @param externalPending whether the PLIC's supervisor context line of this hart is raised
     * @return the virtual sip
     */
    public long pendingInterrupts(VirtualSupervisorState state, boolean externalPending) {
        return state.pending() | (externalPending ? IP_SEIP : 0);
    }

    /**
     * Tells whether interrupts enabled in sie are taken at all now: always in virtual U-mode, with sstatus.SIE in
     * virtual S-mode.
     *
     * @param state the guest's virtual state
     * @return true when globally enabled
     */
    public boolean globallyEnabled(VirtualSupervisorState state) {
        return !state.supervisor() || (state.sstatus() & SSTATUS_SIE) != 0;
    }

    /**
     * Takes the highest-priority pending and enabled virtual interrupt, if any.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     * @param externalPending whether the external line is raised
     * @return the interrupt code taken, or -1 when none
     */
    public int deliverInterrupt(Hart hart, VirtualSupervisorState state, boolean externalPending) {
        long ready = pendingInterrupts(state, externalPending) & state.sie();
        if (ready == 0 || !globallyEnabled(state)) {
            return -1;
        }
        int code;
        if ((ready & IP_SEIP) != 0) {
            code = TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT;
        } else if ((ready & IP_SSIP) != 0) {
            code = TrapCause.SUPERVISOR_SOFTWARE_INTERRUPT;
        } else if ((ready & IP_STIP) != 0) {
            code = TrapCause.SUPERVISOR_TIMER_INTERRUPT;
        } else {
            return -1;
        }
        enterTrap(hart, state, TrapCause.INTERRUPT_BIT | code, 0, hart.pc());
        return code;
    }
}
