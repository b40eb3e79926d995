package io.vmmlab.paravirt;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A hand-made board for the strategy's tests: guest RAM followed by the VMM's region, a bus, a clock. */
final class FakeMachine implements Machine {
    private final List<Hart> harts = new ArrayList<>();
    private final GuestMemory memory;
    private final GuestMemory physicalMemory;
    private final AddressRange vmmRange;
    private final MmioBus mmio;
    private final TimeSource time;
    private final Counters counters;
    private GuestOutcome outcome;

    FakeMachine(GuestMemory memory, GuestMemory physicalMemory, AddressRange vmmRange, MmioBus mmio, TimeSource time,
                Counters counters) {
        this.memory = memory;
        this.physicalMemory = physicalMemory;
        this.vmmRange = vmmRange;
        this.mmio = mmio;
        this.time = time;
        this.counters = counters;
    }

    void addHart(Hart hart) {
        harts.add(hart);
    }

    @Override
    public List<Hart> harts() {
        return List.copyOf(harts);
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
        return Optional.of(vmmRange);
    }

    @Override
    public MmioBus mmio() {
        return mmio;
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
}
