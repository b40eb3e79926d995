package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.testing.ExitLoop;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.cpu.testing.FakeMachines;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.ecall;

/**
 * Runs a tiny hand-encoded guest kernel under the fullvirt hypervisor on a {@link FakeMachine}. The guest's trap
 * handler at {@link #HANDLER} reports scause, stval and sepc through an SBI call; any SBI call ends the run.
 */
final class GuestHarness {
    static final long CODE = FakeMachine.RAM_BASE;
    static final long HANDLER = FakeMachine.RAM_BASE + 0x800;
    static final long ROOT = FakeMachine.RAM_BASE + 0x10000;
    static final long DATA = FakeMachine.RAM_BASE + 0x20000;
    /** Guest RAM: 1 MiB. */
    static final int RAM_SIZE = 1 << 20;
    /** The VMM's region after guest RAM: 1 MiB. */
    static final int VMM_SIZE = 1 << 20;
    static final long VMM_BASE = FakeMachine.RAM_BASE + RAM_SIZE;
    static final long PTE_KERNEL_RWX = 0xcf;
    static final long PTE_KERNEL_RW = 0xc7;

    final FakeMachine machine;
    final List<SbiCall> calls = new ArrayList<>();
    /** The callouts the hypervisor reported for the exit profile (binary translation's). */
    final List<ReportedCallout> callouts = new ArrayList<>();
    /** The faults it reported delivering without an exit. */
    final List<ReportedFault> faults = new ArrayList<>();
    /** The reports in order: {@code callout}, {@code fault}, {@code handled}. */
    final List<String> reports = new ArrayList<>();

    /** One reported callout: the guest instruction's address and bits. */
    record ReportedCallout(long guestPc, int instruction) {
    }

    /** One reported fault: the guest address it belongs to and its cause. */
    record ReportedFault(long guestPc, int cause) {
    }
    final FullVirtHypervisor hypervisor;
    final FullVirtTechnique technique;

    GuestHarness() {
        this(FullVirtTechnique.TRAP);
    }

    GuestHarness(FullVirtTechnique technique) {
        this(technique, "rv64imac");
    }

    GuestHarness(FullVirtTechnique technique, String isa) {
        this(technique, machine(isa));
    }

    GuestHarness(FullVirtTechnique technique, FakeMachine machine) {
        this(technique, machine, (platform, call) -> platform.systemReset(0, 0));
    }

    /**
     * A harness whose firmware records each SBI call and does what {@code firmware} does with it (by default: power
     * off, which ends the run), answering success.
     */
    GuestHarness(FullVirtTechnique technique, FakeMachine machine, BiConsumer<SbiPlatform, SbiCall> firmware) {
        this.technique = technique;
        this.machine = machine;
        hypervisor = new FullVirtHypervisor((call, platform) -> {
            calls.add(call);
            firmware.accept(platform, call);
            return SbiResult.success(0);
        }, new RecordingConsole(), machine.counters(), technique, new VmmEntries() {
            @Override
            public void callout(Hart hart, long guestPc, int instruction) {
                callouts.add(new ReportedCallout(guestPc, instruction));
                reports.add("callout");
            }

            @Override
            public void fault(Hart hart, long guestPc, int cause) {
                faults.add(new ReportedFault(guestPc, cause));
                reports.add("fault");
            }

            @Override
            public void handled(Hart hart) {
                reports.add("handled");
            }
        }, AddressTranslation.SV57);
        load(HANDLER, csrrs(A0, 0x142, 0), csrrs(A1, 0x143, 0), csrrs(A2, 0x141, 0), ecall());
    }

    /** Builds the board with an interpreter hart of the given ISA. */
    static FakeMachine machine(String isa) {
        return FakeMachines.withInterpreterHart(isa, RAM_SIZE, VMM_SIZE);
    }

    void load(long address, int... instructions) {
        for (int i = 0; i < instructions.length; i++) {
            machine.physicalMemory().write32(address + 4L * i, instructions[i]);
        }
    }

    /** Maps a 1 GiB guest superpage in the guest root table. */
    void mapGigapage(long va, long pa, long flags) {
        machine.memory().write64(ROOT + ((va >>> 30) & 0x1ff) * 8, (pa >>> 12) << 10 | flags);
    }

    static long guestSatp() {
        return 8L << 60 | ROOT >>> 12;
    }

    Hart hart() {
        return machine.hart();
    }

    /** Starts the guest kernel at {@link #CODE}; s1 holds the handler address for a first {@code csrw stvec, s1}. */
    void start() {
        hypervisor.start(machine, FakeMachine.kernelBoot(CODE));
        hart().setRegister(S1, HANDLER);
    }

    /** Runs the guest in small steps until a register holds a value. */
    void runUntil(int register, long value) {
        ExitLoop.run(hypervisor, hart(), 1, 100_000, () -> hart().register(register) == value);
        if (hart().register(register) != value) {
            throw new AssertionError("x" + register + " never became " + value + " (it is "
                    + hart().register(register) + ", pc 0x" + Long.toHexString(hart().pc()) + ")");
        }
    }

    /** Runs until the guest makes an SBI call, and returns it. */
    SbiCall runToSbiCall() {
        ExitLoop.run(hypervisor, hart(), 1_000, 10_000, () -> !calls.isEmpty());
        if (calls.isEmpty()) {
            throw new AssertionError("the guest made no SBI call; pc 0x" + Long.toHexString(hart().pc()));
        }
        return calls.get(0);
    }

    /** @return the counter group of emulated sensitive instructions: trap-emulate, or callout under bt */
    String emulation() {
        return technique == FullVirtTechnique.TRAP ? "trap-emulate" : "callout";
    }

    long counter(String group, String reason) {
        return machine.counters().snapshot().get(group, reason);
    }

    long events(CostCategory category) {
        return machine.counters().snapshot().events(category);
    }
}
