package io.vmmlab.api.sbi;

import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;

/**
 * What every {@link SbiPlatform} of a guest on a {@link Machine} has in common: the harts' start and stop states
 * (HSM) in a {@link HartStatusTable}, a system reset that stops the machine with that outcome, the guest's memory
 * and its console. A strategy extends it with what differs between strategies: timers, IPIs, remote fences and how
 * a hart enters the guest ({@link #startHart}, which calls {@link #markStarted} once the hart runs).
 */
public abstract class MachineSbiPlatform implements SbiPlatform {
    private final Machine machine;
    private final HostConsole console;
    private final HartStatusTable harts;

    /**
     * Creates the shared part; every hart starts stopped.
     *
     * @param machine the board
     * @param console the guest console
     */
    protected MachineSbiPlatform(Machine machine, HostConsole console) {
        this.machine = machine;
        this.console = console;
        this.harts = new HartStatusTable(machine.harts().size());
    }

    /** Returns the board. */
    protected final Machine machine() {
        return machine;
    }

    /**
     * Tells whether a hart runs the guest.
     *
     * @param hartId the hart
     * @return true once started and until stopped
     */
    public final boolean isStarted(int hartId) {
        return harts.isStarted(hartId);
    }

    /**
     * Records that a hart runs the guest (the boot hart, which the VMM enters itself, or one HSM started).
     *
     * @param hartId the hart
     */
    public final void markStarted(int hartId) {
        harts.markStarted(hartId);
    }

    @Override
    public final int hartCount() {
        return harts.hartCount();
    }

    @Override
    public final HartStatus hartStatus(int hartId) {
        return harts.status(hartId);
    }

    /**
     * Stops a hart (HSM hart_stop). When it was the last one running, nothing can start a hart again (only a running
     * hart can, with hart_start): the machine stops, with an outcome that says so, rather than idle until a timeout.
     */
    @Override
    public void stopHart(int hartId) {
        harts.markStopped(hartId);
        if (!harts.anyStarted()) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, "every hart has stopped itself (SBI HSM "
                    + "hart_stop): none is left to start another"));
        }
    }

    @Override
    public final void systemReset(long type, long reason) {
        machine.stop(GuestOutcome.ofSystemReset(type, reason));
    }

    @Override
    public final void legacyShutdown() {
        machine.stop(GuestOutcome.ofLegacyShutdown());
    }

    @Override
    public final GuestMemory memory() {
        return machine.memory();
    }

    @Override
    public final HostConsole console() {
        return console;
    }
}
