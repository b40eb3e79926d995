package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.testing.ExitLoop;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.cpu.testing.FakeMachines;

import java.util.ArrayList;
import java.util.List;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.ecall;

/**
 * Runs a tiny hand-encoded guest kernel under the hwassist hypervisor on a {@link FakeMachine}. The guest's trap
 * handler at {@link #HANDLER} reports scause, stval and sepc through an SBI call; the run ends at the first SBI call.
 */
final class GuestHarness {
    static final long CODE = FakeMachine.RAM_BASE;
    static final long HANDLER = FakeMachine.RAM_BASE + 0x800;
    static final long ROOT = FakeMachine.RAM_BASE + 0x10000;
    static final long DATA = FakeMachine.RAM_BASE + 0x20000;
    /** Guest RAM: 1 MiB + 12 KiB, so the G-stage needs 4 KiB pages at its end. */
    static final int RAM_SIZE = (1 << 20) + 0x3000;
    /** The VMM's region after guest RAM: 1 MiB. */
    static final int VMM_SIZE = 1 << 20;
    static final long VMM_BASE = FakeMachine.RAM_BASE + RAM_SIZE;
    static final int SCAUSE = 0x142;
    static final int STVAL = 0x143;
    static final int SEPC = 0x141;
    static final int STVEC = 0x105;
    static final int SATP = 0x180;

    final FakeMachine machine;
    final List<SbiCall> calls = new ArrayList<>();
    final HwAssistHypervisor hypervisor;
    final List<HartExit> exits = new ArrayList<>();

    GuestHarness(FakeMachine machine) {
        this.machine = machine;
        hypervisor = new HwAssistHypervisor((call, platform) -> {
            calls.add(call);
            return SbiResult.success(0);
        }, new RecordingConsole(), machine.counters());
        load(HANDLER, csrrs(A0, SCAUSE, 0), csrrs(A1, STVAL, 0), csrrs(A2, SEPC, 0), ecall());
    }

    GuestHarness() {
        this(machine("rv64imach_sstc"));
    }

    /** Builds the board with an interpreter hart of the given ISA. */
    static FakeMachine machine(String isa) {
        return FakeMachines.withInterpreterHart(isa, RAM_SIZE, VMM_SIZE);
    }

    void load(long address, int... instructions) {
        for (int i = 0; i < instructions.length; i++) {
            machine.memory().write32(address + 4L * i, instructions[i]);
        }
    }

    Hart hart() {
        return machine.hart();
    }

    /** Starts the guest kernel at {@link #CODE}; s1 holds the handler address for a first {@code csrw stvec, s1}. */
    void start() {
        hypervisor.start(machine, FakeMachine.kernelBoot(CODE));
        hart().setRegister(S1, HANDLER);
    }

    /** Runs until the guest makes an SBI call (or the hypervisor stops the machine), and returns the call. */
    SbiCall runToSbiCall() {
        exits.addAll(ExitLoop.run(hypervisor, hart(), 1_000, 10_000, () -> !calls.isEmpty()));
        if (calls.isEmpty()) {
            throw new AssertionError("the guest made no SBI call; pc 0x" + Long.toHexString(hart().pc())
                    + ", outcome " + machine.outcome());
        }
        return calls.get(0);
    }

    long counter(String group, String reason) {
        return machine.counters().snapshot().get(group, reason);
    }
}
