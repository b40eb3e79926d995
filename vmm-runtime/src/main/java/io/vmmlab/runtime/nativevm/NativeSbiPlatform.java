package io.vmmlab.runtime.nativevm;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.sbi.MachineSbiPlatform;
import io.vmmlab.api.sbi.SupervisorEntry;

/**
 * The real board as the built-in firmware sees it natively: timers through Sstc's {@code stimecmp} when the
 * harts have it, otherwise through the CLINT's {@code mtimecmp} and a machine timer interrupt that the firmware
 * turns into a supervisor one; IPIs by setting {@code mip.SSIP}; hart state management by keeping stopped harts
 * out of the run loop.
 */
final class NativeSbiPlatform extends MachineSbiPlatform {
    static final long MIP_SSIP = 1L << 1;
    static final long MIP_STIP = 1L << 5;
    static final long MIE_MTIE = 1L << 7;

    private final boolean sstc;

    NativeSbiPlatform(Machine machine, HostConsole console, boolean sstc) {
        super(machine, console);
        this.sstc = sstc;
    }

    boolean usesSstc() {
        return sstc;
    }

    @Override
    public void setTimer(int hartId, long deadline) {
        Hart hart = machine().harts().get(hartId);
        if (sstc) {
            hart.writeCsr(CsrNumbers.STIMECMP, deadline);
            return;
        }
        hart.clearCsrBits(CsrNumbers.MIP, MIP_STIP);
        machine().mmio().hostWrite(ClintRegisters.mtimecmp(hartId), 8, deadline);
        hart.setCsrBits(CsrNumbers.MIE, MIE_MTIE);
    }

    /**
     * Turns a machine timer interrupt into a supervisor one: the deadline the kernel set has passed.
     *
     * @param hart the hart whose machine timer fired
     */
    void machineTimerFired(Hart hart) {
        hart.clearCsrBits(CsrNumbers.MIE, MIE_MTIE);
        hart.setCsrBits(CsrNumbers.MIP, MIP_STIP);
    }

    @Override
    public void sendSoftwareInterrupt(int hartId) {
        Hart hart = machine().harts().get(hartId);
        hart.setCsrBits(CsrNumbers.MIP, MIP_SSIP);
    }

    @Override
    public void clearSoftwareInterrupt(int hartId) {
        Hart hart = machine().harts().get(hartId);
        hart.clearCsrBits(CsrNumbers.MIP, MIP_SSIP);
    }

    @Override
    public void remoteFence(int hartId) {
        machine().harts().get(hartId).flushCaches();
    }

    @Override
    public void startHart(int hartId, long startAddress, long opaque) {
        Hart hart = machine().harts().get(hartId);
        SupervisorEntry.enter(hart, startAddress, opaque, sstc);
        markStarted(hartId);
    }

}
