package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

import java.util.List;
import java.util.Optional;

/**
 * The assembled board a hypervisor runs the guest on: harts, RAM, device windows, time and counters.
 */
public interface Machine {

    /**
     * Returns the harts, indexed by hart id.
     *
     * @return an immutable list
     */
    List<Hart> harts();

    /**
     * Returns the RAM the VMM gave this machine.
     *
     * @return guest memory
     */
    GuestMemory memory();

    /**
     * Returns the device windows.
     *
     * @return the bus
     */
    MmioBus mmio();

    /**
     * Returns the platform time.
     *
     * @return mtime
     */
    TimeSource time();

    /**
     * Returns the machine's counters.
     *
     * @return the registry
     */
    Counters counters();

    /**
     * Records how the run ends; the first outcome recorded wins. The run loop stops at its next check.
     *
     * @param outcome why the machine stops
     */
    void stop(GuestOutcome outcome);

    /**
     * Returns the outcome recorded by {@link #stop}, if any.
     *
     * @return the outcome, or empty while the machine runs
     */
    Optional<GuestOutcome> outcome();
}
