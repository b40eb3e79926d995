package io.vmmlab.hwassist.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.sbi.MachineSbiPlatform;
import io.vmmlab.hwassist.vcpu.GuestEntry;
import io.vmmlab.hwassist.vcpu.VirtualInterrupts;

/**
 * The guest's SBI platform under hwassist: timers and IPIs become virtual interrupts through {@code hvip} (or
 * Sstc), remote fences flush the target hart's guest translations (what HFENCE.VVMA does on hardware), hart
 * starts enter the guest on that hart, and buffers are read from the guest's RAM only.
 */
public final class HwAssistSbiPlatform extends MachineSbiPlatform {
    private final VirtualInterrupts interrupts;
    private final GuestEntry entry;
    private final Counter fences;

    /**
     * Creates the platform; every hart starts stopped.
     *
     * @param machine the board
     * @param console the guest console
     * @param interrupts the virtual interrupt injector
     * @param entry how a hart enters the guest
     * @param fences counts guest TLB flushes the VMM performs
     */
    public HwAssistSbiPlatform(Machine machine, HostConsole console, VirtualInterrupts interrupts, GuestEntry entry,
                               Counter fences) {
        super(machine, console);
        this.interrupts = interrupts;
        this.entry = entry;
        this.fences = fences;
    }

    @Override
    public void setTimer(int hartId, long deadline) {
        interrupts.setTimer(hartId, deadline);
    }

    @Override
    public void sendSoftwareInterrupt(int hartId) {
        interrupts.setSoftwareInterrupt(hartId, true);
    }

    @Override
    public void clearSoftwareInterrupt(int hartId) {
        interrupts.setSoftwareInterrupt(hartId, false);
    }

    @Override
    public void remoteFence(int hartId) {
        fences.increment();
        machine().harts().get(hartId).flushCaches();
    }

    @Override
    public void startHart(int hartId, long startAddress, long opaque) {
        Hart hart = machine().harts().get(hartId);
        entry.enter(hart, startAddress, opaque);
        markStarted(hartId);
    }

}
