package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.DmaWriteListener;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.testing.ArrayGuestMemory;
import io.vmmlab.api.testing.RestrictedMemory;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import io.vmmlab.cpu.InterpreterCpuProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A one-hart board for tests: guest RAM at 0x8000_0000 (1 MiB), VMM RAM right after it (1 MiB), a bus, and the
 * real interpreter hart.
 */
final class FakeMachine implements Machine {
    static final long RAM_BASE = 0x8000_0000L;
    static final int RAM_SIZE = 1 << 20;
    static final long VMM_BASE = RAM_BASE + RAM_SIZE;
    static final int VMM_SIZE = 1 << 20;

    private final ArrayGuestMemory physical;
    private final int vmmSize;
    private final GuestMemory guest;
    private final SimpleMmioBus bus = new SimpleMmioBus();
    private final SimpleCounters counters = new SimpleCounters();
    private final TimeSource time = new TimeSource() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public long frequencyHz() {
            return 10_000_000;
        }
    };
    private final Hart hart;
    private final List<DmaWriteListener> dmaListeners = new ArrayList<>();
    private GuestOutcome outcome;

    FakeMachine() {
        this("rv64imac");
    }

    FakeMachine(String isa) {
        this(isa, VMM_SIZE);
    }

    FakeMachine(String isa, int vmmSize) {
        this.vmmSize = vmmSize;
        this.physical = new ArrayGuestMemory(RAM_BASE, RAM_SIZE + vmmSize);
        this.guest = new RestrictedMemory(physical, new AddressRange(RAM_BASE, RAM_SIZE));
        hart = new InterpreterCpuProvider().create(new HartConfig(0, IsaSpec.parse(isa), RAM_BASE, Set.of()),
                new HartResources(physical, bus, time, counters));
    }

    @Override
    public List<Hart> harts() {
        return List.of(hart);
    }

    @Override
    public GuestMemory memory() {
        return guest;
    }

    @Override
    public GuestMemory physicalMemory() {
        return physical;
    }

    @Override
    public Optional<AddressRange> vmmMemory() {
        return Optional.of(new AddressRange(VMM_BASE, vmmSize));
    }

    @Override
    public MmioBus mmio() {
        return bus;
    }

    @Override
    public TimeSource time() {
        return time;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public void stop(GuestOutcome guestOutcome) {
        if (outcome == null) {
            outcome = guestOutcome;
        }
    }

    @Override
    public Optional<GuestOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    Hart hart() {
        return hart;
    }

    @Override
    public void addDmaWriteListener(DmaWriteListener listener) {
        dmaListeners.add(listener);
    }

    /** Writes guest RAM as a device's DMA would, and reports it. */
    void dmaWrite64(long address, long value) {
        guest.write64(address, value);
        dmaListeners.forEach(listener -> listener.dmaWritten(address, 8));
    }
}
