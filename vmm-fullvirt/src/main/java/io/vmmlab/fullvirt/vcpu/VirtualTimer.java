package io.vmmlab.fullvirt.vcpu;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.MmioBus;

/**
 * The guest's supervisor timer, built on the real CLINT: a deadline (SBI set_timer, or a write to the virtual
 * {@code stimecmp}) programs the hart's real {@code mtimecmp} and enables the machine timer interrupt; when it
 * fires the hart exits to the VMM, which disables it again and makes the virtual STIP pending. So a guest that
 * keeps the timer masked never causes an interrupt storm.
 */
public final class VirtualTimer {
    private static final long MIE_MTIE = 1L << 7;

    private final MmioBus mmio;

    /**
     * Creates the timer.
     *
     * @param mmio the board's device windows (the CLINT)
     */
    public VirtualTimer(MmioBus mmio) {
        this.mmio = mmio;
    }

    /**
     * Clears the virtual STIP and raises it again once platform time reaches the deadline.
     *
     * @param hart the real hart
     * @param state its guest's virtual state
     * @param deadline platform time in mtime ticks
     */
    public void arm(Hart hart, VirtualSupervisorState state, long deadline) {
        state.setPending(state.pending() & ~VirtualSupervisorState.IP_STIP);
        mmio.hostWrite(ClintRegisters.mtimecmp(hart.hartId()), 8, deadline);
        hart.setCsrBits(CsrNumbers.MIE, MIE_MTIE);
    }

    /**
     * Handles the machine timer interrupt: the deadline has passed.
     *
     * @param hart the real hart
     * @param state its guest's virtual state
     */
    public void fired(Hart hart, VirtualSupervisorState state) {
        hart.clearCsrBits(CsrNumbers.MIE, MIE_MTIE);
        state.setPending(state.pending() | VirtualSupervisorState.IP_STIP);
    }
}
