package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.DmaWriteListener;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.runtime.memory.DmaTracingMemory;
import io.vmmlab.runtime.metrics.MachineCounters;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The assembled virt board: harts, RAM, bus, devices, time and counters, plus the outcome once it stops.
 */
public final class VirtMachine implements Machine {
    private final List<Hart> harts;
    private final GuestMemory memory;
    private final GuestMemory physicalMemory;
    private final Optional<AddressRange> vmmMemory;
    private final MmioBus mmio;
    private final List<Device> devices;
    private final TimeSource time;
    private final MachineCounters counters;
    private final DmaTracingMemory dmaMemory;
    private final DmaTracingMemory hostMemory;
    private final AtomicReference<GuestOutcome> outcome = new AtomicReference<>();
    private final WakeUpSignal wakeUp = new WakeUpSignal();

    /**
     * Creates the machine from its parts.
     *
     * @param harts the harts, by id
     * @param memory the guest's RAM (the machine hands it out wrapped, so that host writes are reported)
     * @param physicalMemory all RAM, the guest's followed by the VMM's
     * @param vmmMemory the VMM's reserved region, if any
     * @param mmio the bus
     * @param devices the devices mapped on the bus, in creation order
     * @param time platform time
     * @param counters counters
     * @param dmaMemory the guest memory the devices write through
     */
    public VirtMachine(List<Hart> harts, GuestMemory memory, GuestMemory physicalMemory,
                       Optional<AddressRange> vmmMemory, MmioBus mmio, List<Device> devices, TimeSource time,
                       MachineCounters counters, DmaTracingMemory dmaMemory) {
        this.harts = List.copyOf(harts);
        this.hostMemory = memory == null ? null : new DmaTracingMemory(memory);
        this.memory = hostMemory;
        this.physicalMemory = physicalMemory;
        this.vmmMemory = vmmMemory;
        this.mmio = mmio;
        this.devices = List.copyOf(devices);
        this.time = time;
        this.counters = counters;
        this.dmaMemory = dmaMemory;
    }

    @Override
    public void addDmaWriteListener(DmaWriteListener listener) {
        dmaMemory.addListener(listener);
    }

    @Override
    public void addHostWriteListener(DmaWriteListener listener) {
        hostMemory.addListener(listener);
    }

    @Override
    public List<Hart> harts() {
        return harts;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public GuestMemory physicalMemory() {
        return physicalMemory;
    }

    @Override
    public Optional<AddressRange> vmmMemory() {
        return vmmMemory;
    }

    @Override
    public MmioBus mmio() {
        return mmio;
    }

    /**
     * Returns the devices on the board.
     *
     * @return an immutable list
     */
    public List<Device> devices() {
        return devices;
    }

    @Override
    public TimeSource time() {
        return time;
    }

    /** The registry itself, which the exit profile reads by cost category ({@link MachineCounters#eventsByCategory}). */
    @Override
    public MachineCounters counters() {
        return counters;
    }

    @Override
    public void stop(GuestOutcome guestOutcome) {
        if (outcome.compareAndSet(null, guestOutcome)) {
            harts.forEach(Hart::requestExit);
            wakeUp.signal();
        }
    }

    /**
     * Returns what wakes the run loop while every hart waits: console input, a device's host-side event, a stop.
     *
     * @return the machine's wake-up signal
     */
    public WakeUpSignal wakeUp() {
        return wakeUp;
    }

    @Override
    public Optional<GuestOutcome> outcome() {
        return Optional.ofNullable(outcome.get());
    }

    /**
     * Returns the instructions retired by all harts.
     *
     * @return the sum
     */
    public long instructionsRetired() {
        long total = 0;
        for (Hart hart : harts) {
            total += hart.instructionsRetired();
        }
        return total;
    }
}
