package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A machine that only holds memory and remembers every stop request. */
final class FakeMachine implements Machine {
    private final GuestMemory memory;
    private final List<GuestOutcome> stops = new ArrayList<>();

    FakeMachine(GuestMemory memory) {
        this.memory = memory;
    }

    List<GuestOutcome> stops() {
        return List.copyOf(stops);
    }

    @Override
    public List<Hart> harts() {
        return List.of();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public GuestMemory physicalMemory() {
        return memory;
    }

    @Override
    public Optional<io.vmmlab.api.memory.AddressRange> vmmMemory() {
        return Optional.empty();
    }

    @Override
    public MmioBus mmio() {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public TimeSource time() {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public Counters counters() {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public void stop(GuestOutcome outcome) {
        stops.add(outcome);
    }

    @Override
    public Optional<GuestOutcome> outcome() {
        return stops.isEmpty() ? Optional.empty() : Optional.of(stops.get(0));
    }
}
