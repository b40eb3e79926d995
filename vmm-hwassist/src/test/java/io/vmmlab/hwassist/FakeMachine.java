package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.testing.ArrayGuestMemory;
import io.vmmlab.api.testing.RestrictedMemory;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import io.vmmlab.cpu.InterpreterCpuProvider;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A one-hart board with the H extension for tests: guest RAM at 0x8000_0000 (1 MiB + 12 KiB, so the G-stage needs
 * 4 KiB pages at its end), VMM RAM right after it (1 MiB), a bus, a settable clock and the real interpreter hart.
 */
final class FakeMachine implements Machine {
    static final long RAM_BASE = 0x8000_0000L;
    static final int RAM_SIZE = (1 << 20) + 0x3000;
    static final long VMM_BASE = RAM_BASE + RAM_SIZE;
    static final int VMM_SIZE = 1 << 20;

    private final ArrayGuestMemory physical = new ArrayGuestMemory(RAM_BASE, RAM_SIZE + VMM_SIZE);
    private final GuestMemory guest = new RestrictedMemory(physical, new AddressRange(RAM_BASE, RAM_SIZE));
    private final SimpleMmioBus bus = new SimpleMmioBus();
    private final SimpleCounters counters = new SimpleCounters();
    private final ManualTime time = new ManualTime();
    private final Hart hart;
    private GuestOutcome outcome;

    FakeMachine(String isa) {
        hart = new InterpreterCpuProvider().create(new HartConfig(0, IsaSpec.parse(isa), RAM_BASE, Set.of()),
                new HartResources(physical, bus, time, counters));
    }

    FakeMachine() {
        this("rv64imach_sstc");
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
        return Optional.of(new AddressRange(VMM_BASE, VMM_SIZE));
    }

    @Override
    public MmioBus mmio() {
        return bus;
    }

    @Override
    public ManualTime time() {
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

    /** A clock the test sets by hand. */
    static final class ManualTime implements TimeSource {
        private long now;

        @Override
        public long now() {
            return now;
        }

        @Override
        public long frequencyHz() {
            return 10_000_000;
        }

        void set(long value) {
            now = value;
        }
    }
}
