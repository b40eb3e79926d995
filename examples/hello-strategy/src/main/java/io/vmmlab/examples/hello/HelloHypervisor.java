package io.vmmlab.examples.hello;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import jakarta.inject.Inject;

/**
 * A pass-through hypervisor: every hart starts the image in M-mode, nothing is intercepted, and the only exits
 * it sees are WFI, which it counts. It shows the shape of a strategy without any virtualization technique.
 */
public final class HelloHypervisor implements Hypervisor {
    private final Counter starts;
    private final Counter waits;
    private Machine machine;

    /**
     * Creates the hypervisor; the runtime injects the machine's counters.
     *
     * @param counters where to count
     */
    @Inject
    public HelloHypervisor(Counters counters) {
        this.starts = counters.counter("hello", "hart-starts", CostCategory.NONE);
        this.waits = counters.counter("hello", "wfi-exits", CostCategory.NONE);
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        this.machine = board;
        for (Hart hart : board.harts()) {
            hart.reset(boot.entry());
            hart.setRegister(10, hart.hartId());
            hart.setRegister(11, boot.deviceTree().base());
            hart.setPrivilege(PrivilegeMode.MACHINE, false);
            hart.setTrapInterception(TrapInterception.NONE);
            starts.increment();
        }
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        return switch (exit) {
            case WAIT_FOR_INTERRUPT -> {
                waits.increment();
                yield ExitAction.WAIT_FOR_INTERRUPT;
            }
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> ExitAction.RESUME;
            case TRAP -> {
                PendingTrap trap = hart.pendingTrap();
                machine.stop(new GuestOutcome(GuestOutcome.Status.INTERNAL_ERROR,
                        String.format("hello intercepts nothing, yet cause %d trapped at 0x%x", trap.cause(), trap.pc())));
                yield ExitAction.STOP;
            }
        };
    }
}
