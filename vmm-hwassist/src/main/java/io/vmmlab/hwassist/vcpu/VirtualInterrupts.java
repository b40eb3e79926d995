package io.vmmlab.hwassist.vcpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.hypervisor.Machine;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * Delivers the guest's interrupts through {@code hvip} (Priv. spec ch. 21, "Hypervisor Interrupt Registers"), the
 * way HS-mode software injects them:
 *
 * <ul>
 *   <li>timer: with Sstc the guest's deadline goes to {@code vstimecmp} and the hart raises VSTIP itself; without
 *       it the deadline goes to the CLINT's {@code mtimecmp}, and the machine timer interrupt (an exit) becomes
 *       {@code hvip.VSTIP} until the guest sets a new deadline;</li>
 *   <li>external: the PLIC's supervisor context drives SEIP, an exit; the VMM mirrors it into {@code hvip.VSEIP}
 *       and masks SEIE until the line drops (checked after every exit, so after the guest's claim);</li>
 *   <li>software (SBI IPI): {@code hvip.VSSIP}, which the guest clears through its {@code sip}.</li>
 * </ul>
 */
public final class VirtualInterrupts {

    private final Machine machine;
    private final boolean sstc;
    private final boolean[] externalInjected;

    /**
     * Creates the injector.
     *
     * @param machine the board (harts and CLINT)
     * @param sstc whether the harts have Sstc
     */
    public VirtualInterrupts(Machine machine, boolean sstc) {
        this.machine = machine;
        this.sstc = sstc;
        this.externalInjected = new boolean[machine.harts().size()];
    }

    /**
     * Programs the guest timer of a hart (SBI set_timer).
     *
     * @param hartId the hart
     * @param deadline the absolute guest time
     */
    public void setTimer(int hartId, long deadline) {
        Hart hart = machine.harts().get(hartId);
        setVirtualPending(hart, IP_VSTIP, false);
        if (sstc) {
            hart.writeCsr(VSTIMECMP, deadline);
            return;
        }
        machine.mmio().hostWrite(ClintRegisters.mtimecmp(hartId), 8, deadline);
        hart.setCsrBits(MIE, IP_MTIP);
    }

    /**
     * Turns a machine timer exit into the guest's timer interrupt.
     *
     * @param hart the hart whose timer fired
     */
    public void machineTimerFired(Hart hart) {
        hart.clearCsrBits(MIE, IP_MTIP);
        setVirtualPending(hart, IP_VSTIP, true);
    }

    /**
     * Turns a supervisor external interrupt exit into the guest's external interrupt.
     *
     * @param hart the hart the PLIC interrupted
     */
    public void externalInterrupt(Hart hart) {
        externalInjected[hart.hartId()] = true;
        hart.clearCsrBits(MIE, IP_SEIP);
        setVirtualPending(hart, IP_VSEIP, true);
    }

    /**
     * Withdraws the injected external interrupt once the PLIC line dropped; called after every exit.
     *
     * @param hart the hart
     */
    public void synchronize(Hart hart) {
        int id = hart.hartId();
        if (externalInjected[id] && (hart.readCsr(MIP) & IP_SEIP) == 0) {
            externalInjected[id] = false;
            setVirtualPending(hart, IP_VSEIP, false);
            hart.setCsrBits(MIE, IP_SEIP);
        }
    }

    /**
     * Sets or clears the guest's software interrupt (SBI IPI).
     *
     * @param hartId the target hart
     * @param pending the new level
     */
    public void setSoftwareInterrupt(int hartId, boolean pending) {
        setVirtualPending(machine.harts().get(hartId), IP_VSSIP, pending);
    }

    /**
     * Tells whether the guest has an interrupt pending that it enabled in its {@code sie}: WFI must not wait then.
     *
     * @param hart the hart
     * @return true when a VS-level interrupt is pending and enabled
     */
    public boolean guestInterruptPending(Hart hart) {
        return (hart.readCsr(MIP) & hart.readCsr(MIE) & GuestEntry.GUEST_INTERRUPTS) != 0;
    }

    private static void setVirtualPending(Hart hart, long bit, boolean pending) {
        long hvip = hart.readCsr(HVIP);
        hart.writeCsr(HVIP, pending ? hvip | bit : hvip & ~bit);
    }
}
