package io.vmmlab.runtime.nativevm;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import jakarta.inject.Inject;

/**
 * Runs the guest on the bare board. With a real firmware or none ({@code --bios FILE|none}) every hart starts in
 * M-mode at the entry and nothing is intercepted. With the built-in firmware the boot hart starts the kernel in
 * S-mode and traps into M-mode come here.
 */
public final class NativeHypervisor implements Hypervisor {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;

    private final VmSpec spec;
    private Machine machine;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param spec the VM
     */
    @Inject
    public NativeHypervisor(VmSpec spec) {
        this.spec = spec;
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        this.machine = board;
        boolean builtin = boot.entryMode() == PrivilegeMode.SUPERVISOR;
        if (builtin) {
            throw new UnsupportedOperationException(
                    "the built-in SBI firmware is not available yet: use --bios none or --bios FILE");
        }
        for (Hart hart : board.harts()) {
            hart.reset(boot.entry());
            hart.setRegister(A0, hart.hartId());
            hart.setRegister(A1, boot.deviceTree().base());
            hart.setRegister(A2, boot.firmwareInfo());
            hart.setPrivilege(boot.entryMode(), false);
            hart.setTrapInterception(TrapInterception.NONE);
        }
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        return switch (exit) {
            case WAIT_FOR_INTERRUPT -> ExitAction.WAIT_FOR_INTERRUPT;
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> ExitAction.RESUME;
            case TRAP -> unexpectedTrap(hart.pendingTrap());
        };
    }

    private ExitAction unexpectedTrap(PendingTrap trap) {
        String name = trap.isInterrupt() ? TrapCause.interruptName(trap.code()) : TrapCause.exceptionName(trap.code());
        machine.stop(new GuestOutcome(GuestOutcome.Status.INTERNAL_ERROR, String.format(
                "unexpected %s trap at pc 0x%x under strategy native (%s)", name, trap.pc(), spec.firmware())));
        return ExitAction.STOP;
    }
}
