package io.vmmlab.hwassist.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.sbi.HartStatus;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.hwassist.vcpu.GuestEntry;
import io.vmmlab.hwassist.vcpu.VirtualInterrupts;

import java.util.Arrays;

/**
 * The guest's SBI platform under hwassist: timers and IPIs become virtual interrupts through {@code hvip} (or
 * Sstc), remote fences flush the target hart's guest translations (what HFENCE.VVMA does on hardware), hart
 * starts enter the guest on that hart, and buffers are read from the guest's RAM only.
 */
public final class HwAssistSbiPlatform implements SbiPlatform {
    private final Machine machine;
    private final HostConsole console;
    private final VirtualInterrupts interrupts;
    private final GuestEntry entry;
    private final Counter fences;
    private final HartStatus[] status;

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
        this.machine = machine;
        this.console = console;
        this.interrupts = interrupts;
        this.entry = entry;
        this.fences = fences;
        this.status = new HartStatus[machine.harts().size()];
        Arrays.fill(status, HartStatus.STOPPED);
    }

    /**
     * Tells whether a hart runs the guest.
     *
     * @param hartId the hart
     * @return true once started and until stopped
     */
    public boolean isStarted(int hartId) {
        return status[hartId] == HartStatus.STARTED;
    }

    /**
     * Records that the boot hart was entered by the VMM itself.
     *
     * @param hartId the hart
     */
    public void markStarted(int hartId) {
        status[hartId] = HartStatus.STARTED;
    }

    @Override
    public int hartCount() {
        return status.length;
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
        machine.harts().get(hartId).flushCaches();
    }

    @Override
    public HartStatus hartStatus(int hartId) {
        return status[hartId];
    }

    @Override
    public void startHart(int hartId, long startAddress, long opaque) {
        Hart hart = machine.harts().get(hartId);
        entry.enter(hart, startAddress, opaque);
        status[hartId] = HartStatus.STARTED;
    }

    @Override
    public void stopHart(int hartId) {
        status[hartId] = HartStatus.STOPPED;
    }

    @Override
    public void systemReset(long type, long reason) {
        if (reason == 1) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED,
                    "guest reported a system failure (SBI SRST)"));
        } else if (type == 0) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "guest powered off (SBI SRST)"));
        } else {
            machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF,
                    "guest asked for a reboot (SBI SRST); the machine stops instead"));
        }
    }

    @Override
    public GuestMemory memory() {
        return machine.memory();
    }

    @Override
    public HostConsole console() {
        return console;
    }
}
