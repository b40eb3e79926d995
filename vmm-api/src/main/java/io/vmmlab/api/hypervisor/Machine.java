package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.DmaWriteListener;
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
     * Returns the RAM the guest owns, as the guest addresses it. Accesses outside it fail; use it for everything
     * done on the guest's behalf (loading, DMA, firmware calls with buffers).
     *
     * @return guest memory
     */
    GuestMemory memory();

    /**
     * Returns all of the board's RAM as the harts see it: the guest's RAM followed by the VMM's reserved region
     * ({@link #vmmMemory()}). Only the VMM uses it, to build structures the hart walks.
     *
     * @return the whole RAM
     */
    GuestMemory physicalMemory();

    /**
     * Returns the RAM reserved for the VMM's own structures (shadow page tables, G-stage tables, shared pages),
     * as large as the strategy asked with
     * {@link io.vmmlab.api.spi.VirtualizationStrategyProvider#vmmMemoryBytes(VmSpec)}. The guest never sees it
     * in its device tree, and the VMM must never map it for the guest.
     *
     * @return the reserved range, or empty when the strategy reserved none
     */
    Optional<AddressRange> vmmMemory();

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

    /**
     * Registers a listener for device writes into guest RAM (DMA). Optional for machines without devices that
     * write memory.
     *
     * @param listener called after each device write
     * @throws UnsupportedOperationException when this machine does not report DMA writes
     */
    default void addDmaWriteListener(DmaWriteListener listener) {
        throw new UnsupportedOperationException("this machine does not report DMA writes");
    }

    /**
     * Registers a listener for the host's own writes into guest RAM through {@link #memory()}: an SBI call that reads
     * the console into a guest buffer, a VMM's emulated stores and page-table A/D updates, a loader. Whatever a VMM
     * derived from guest code must follow them as it follows DMA (a guest's FENCE.I must see them); the harts' decoded
     * code does ({@link io.vmmlab.api.cpu.Hart#invalidateCode}). Writes through {@link #physicalMemory()} are not
     * reported. Optional.
     *
     * @param listener called after each host write, with the same arguments as for DMA
     * @throws UnsupportedOperationException when this machine does not report host writes
     */
    default void addHostWriteListener(DmaWriteListener listener) {
        throw new UnsupportedOperationException("this machine does not report host writes");
    }
}
