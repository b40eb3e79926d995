package io.vmmlab.runtime.nativevm;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.WaitingHarts;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiExtensionNames;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.api.sbi.SupervisorEntry;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs the guest on the bare board. With a real firmware or none ({@code --bios FILE|none}) every hart starts in
 * M-mode at the entry and nothing is intercepted. With the built-in firmware ({@code --bios builtin}) the boot
 * hart starts the kernel in S-mode, the other harts wait for SBI HSM, and every trap into M-mode comes here: SBI
 * calls are answered by the Java firmware, machine timer interrupts become supervisor ones. Both are counted as
 * {@link CostCategory#GUEST_TRAP}: on real hardware they are a trap into the machine's own firmware and an MRET, the
 * cost of a system call, not the round trip into a virtual machine monitor that {@link CostCategory#TRAP_ROUND_TRIP}
 * prices.
 */
public final class NativeHypervisor implements Hypervisor {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;

    private final SupervisorBinaryInterface sbi;
    private final HostConsole console;
    private final Counters counters;
    private final Map<Long, Counter> sbiCounters = new HashMap<>();
    private final Counter timerInterrupts;
    private WaitingHarts waiting;
    private Machine machine;
    private NativeSbiPlatform platform;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param sbi the built-in firmware
     * @param console the guest console
     * @param counters where to count SBI calls
     */
    @Inject
    public NativeHypervisor(SupervisorBinaryInterface sbi, HostConsole console, Counters counters) {
        this.sbi = sbi;
        this.console = console;
        this.counters = counters;
        this.timerInterrupts = counters.counter("firmware", "machine-timer-interrupt", CostCategory.GUEST_TRAP);
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        this.machine = board;
        waiting = WaitingHarts.wokenByTheirOwnInterrupts(board.harts().size());
        if (boot.entryMode() == PrivilegeMode.SUPERVISOR) {
            boolean sstc = board.harts().get(0).isa().has("sstc");
            platform = new NativeSbiPlatform(board, console, sstc);
            Hart bootHart = board.harts().get(0);
            SupervisorEntry.enter(bootHart, boot.entry(), boot.deviceTree().base(), sstc);
            platform.markStarted(bootHart.hartId());
            return;
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

    /** A hart runs once started, and after a WFI once an interrupt is pending and enabled. */
    @Override
    public boolean isRunnable(Hart hart) {
        return (platform == null || platform.isStarted(hart.hartId())) && (waiting == null || waiting.mayRun(hart));
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        ExitAction action = switch (exit) {
            case WAIT_FOR_INTERRUPT -> ExitAction.WAIT_FOR_INTERRUPT;
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> ExitAction.RESUME;
            case TRAP -> handleTrap(hart, hart.pendingTrap());
        };
        waiting.exited(hart, action);
        return action;
    }

    private ExitAction handleTrap(Hart hart, PendingTrap trap) {
        if (platform != null && !trap.isInterrupt() && trap.code() == TrapCause.ECALL_FROM_SUPERVISOR) {
            return sbiCall(hart);
        }
        if (platform != null && trap.isInterrupt() && trap.code() == TrapCause.MACHINE_TIMER_INTERRUPT) {
            timerInterrupts.increment();
            platform.machineTimerFired(hart);
            return ExitAction.RESUME;
        }
        String name = trap.isInterrupt() ? TrapCause.interruptName(trap.code()) : TrapCause.exceptionName(trap.code());
        machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, String.format(
                "unhandled %s trap into M-mode at pc 0x%x (tval 0x%x)", name, trap.pc(), trap.tval())));
        return ExitAction.STOP;
    }

    private ExitAction sbiCall(Hart hart) {
        SbiCall call = SbiCall.of(hart);
        sbiCounters.computeIfAbsent(call.extension(), id -> counters.counter("sbi", SbiExtensionNames.of(id),
                CostCategory.GUEST_TRAP)).increment();
        sbi.call(call, platform).returnTo(hart, call);
        return machine.outcome().isPresent() ? ExitAction.STOP : ExitAction.RESUME;
    }
}
