package io.vmmlab.paravirt;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemoryView;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.cpu.testing.FakeMachines;
import io.vmmlab.paravirt.hypercall.Hypercall;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny PV guest on the real interpreter hart: its code page is full of {@code ecall}s, and each
 * {@link #call} sets the argument registers, runs the hart to its next exit and lets the hypervisor handle it,
 * exactly as the runtime's run loop would.
 */
final class PvGuestHarness {
    static final long RAM_BASE = 0x8000_0000L;
    static final long RAM_SIZE = 4L << 20;
    static final long CODE = RAM_BASE;
    static final long VECTOR = RAM_BASE + 0x800;
    static final long SHARED = RAM_BASE + 0x1000;
    static final long REQUESTS = RAM_BASE + 0x3000;
    static final long CLINT = 0x0200_0000L;
    static final long UART = 0x1000_0000L;
    static final int ECALL = 0x0000_0073;

    final FlatRam physical;
    final GuestMemoryView memory;
    final AddressRange vmmRange;
    final SimpleCounters counters;
    final RecordingMmioDevice clint = new RecordingMmioDevice(0);
    final RecordingMmioDevice uart = new RecordingMmioDevice(0x5a);
    final StringBuilder console = new StringBuilder();
    final FakeMachine machine;
    final Hart hart;
    final ParaVirtHypervisor hypervisor;

    PvGuestHarness() {
        this("rv64imac");
    }

    PvGuestHarness(String isa) {
        VmSpec spec = new VmSpec("paravirt", Optional.empty(), "interpreter", IsaSpec.parse(isa), 1, RAM_SIZE,
                Optional.of(Path.of("kernel")), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, true);
        long vmmBytes = new ParaVirtStrategyProvider().vmmMemoryBytes(spec);
        machine = FakeMachines.withInterpreterHart(isa, (int) RAM_SIZE, (int) vmmBytes);
        machine.time().set(1000);
        physical = machine.physicalMemory();
        memory = machine.memory();
        vmmRange = machine.vmmMemory().orElseThrow();
        counters = machine.counters();
        machine.mmio().map("clint", new AddressRange(CLINT, 0x10000), clint);
        machine.mmio().map("uart0", new AddressRange(UART, 0x100), uart);
        hart = machine.hart();
        for (long address = CODE; address < CODE + 0x1000; address += 4) {
            physical.write32(address, ECALL);
        }
        HostConsole hostConsole = new HostConsole() {
            @Override
            public void write(int value) {
                console.append((char) value);
            }

            @Override
            public int read() {
                return -1;
            }
        };
        hypervisor = new ParaVirtHypervisor(hostConsole, counters);
        hypervisor.start(machine, new BootInfo(CODE, PrivilegeMode.SUPERVISOR,
                new AddressRange(RAM_BASE + RAM_SIZE - 0x1000, 0x1000), Optional.of(new AddressRange(CODE, 0x1000)),
                Optional.empty(), 0));
    }

    /** Registers the shared page and the trap vector, as the PV kernel's arch_init does. */
    PvGuestHarness booted() {
        assertThat(call(Hypercall.REGISTER_SHARED_PAGE, SHARED).error()).isZero();
        assertThat(call(Hypercall.SET_TRAP_VECTOR, VECTOR).error()).isZero();
        return this;
    }

    Result call(Hypercall hypercall, long... arguments) {
        return callRaw(hypercall.a7(), arguments);
    }

    Result callRaw(long a7, long... arguments) {
        hart.setRegister(17, a7);
        for (int index = 0; index < 6; index++) {
            hart.setRegister(10 + index, index < arguments.length ? arguments[index] : 0);
        }
        return runToExit();
    }

    Result runToExit() {
        HartExit exit = hart.run(100);
        assertThat(exit).isEqualTo(HartExit.TRAP);
        ExitAction action = hypervisor.handleExit(hart, exit);
        return new Result(action, hart.register(10), hart.register(11));
    }

    /** Applies one page-table update through MMU_UPDATE. */
    Result update(long entry, long value) {
        memory.write64(REQUESTS, entry);
        memory.write64(REQUESTS + 8, value);
        return call(Hypercall.MMU_UPDATE, REQUESTS, 1);
    }

    long counter(String group, String reason) {
        return counters.snapshot().get(group, reason);
    }

    record Result(ExitAction action, long error, long value) {
    }
}
