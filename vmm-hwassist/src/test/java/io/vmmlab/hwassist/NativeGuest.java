package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.sbi.SupervisorEntry;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.cpu.testing.FakeMachines;

import java.util.Map;
import java.util.function.Consumer;

import static io.vmmlab.cpu.testing.Assembler.S1;

/**
 * The reference for {@link GuestHarness}'s guests: the same guest RAM run natively, the kernel in the hart's real
 * S-mode (no H extension, translation by its own satp alone) with every exception but its ecalls delegated to it,
 * as the built-in firmware enters a kernel, on a board with no VMM region (so an address past guest RAM is no
 * memory, as it is natively). A WFI completes (the test's run loop resumes the hart); the first SBI call ends the run.
 */
final class NativeGuest {
    /** The guest's ISA: the hwassist board's without {@code h}, which the VMM keeps for itself. */
    static final String ISA = "rv64imac_sstc";

    final FakeMachine machine;

    private NativeGuest(FakeMachine machine) {
        this.machine = machine;
    }

    /**
     * Runs a copy of a harness's guest RAM natively until its first SBI call.
     *
     * @param guestRam the harness's guest RAM, as its test laid it out (before the guest ran)
     * @param registers the registers the test sets after {@link GuestHarness#start()}
     * @param devices maps the test's devices on the native board
     * @return the finished run
     */
    static NativeGuest run(GuestMemory guestRam, Map<Integer, Long> registers, Consumer<FakeMachine> devices) {
        FakeMachine machine = FakeMachines.withInterpreterHart(ISA, GuestHarness.RAM_SIZE, 0);
        devices.accept(machine);
        byte[] image = new byte[GuestHarness.RAM_SIZE];
        guestRam.read(FakeMachine.RAM_BASE, image, 0, image.length);
        machine.memory().write(FakeMachine.RAM_BASE, image, 0, image.length);
        Hart hart = machine.hart();
        SupervisorEntry.enter(hart, GuestHarness.CODE, FakeMachine.DEVICE_TREE.base(), true);
        hart.setRegister(S1, GuestHarness.HANDLER);
        registers.forEach(hart::setRegister);
        for (int slice = 0; slice < 10_000; slice++) {
            HartExit exit = hart.run(1_000);
            if (exit == HartExit.TRAP) {
                if (hart.pendingTrap().code() != TrapCause.ECALL_FROM_SUPERVISOR) {
                    throw new AssertionError("native run stopped on " + hart.pendingTrap());
                }
                return new NativeGuest(machine);
            }
        }
        throw new AssertionError("the native guest made no SBI call; pc 0x" + Long.toHexString(hart.pc()));
    }

    Hart hart() {
        return machine.hart();
    }

    GuestMemory memory() {
        return machine.memory();
    }
}
