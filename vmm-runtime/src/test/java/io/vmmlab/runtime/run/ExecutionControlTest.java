package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * The run loop under a control (a debugger): single-stepping gives the harts a budget of one instruction and reports
 * each at the guest's address; once the control holds, the round's other harts do not run, and the next round waits
 * for the control.
 */
final class ExecutionControlTest {
    private final Hart first = mock(Hart.class, withSettings().stubOnly());
    private final Hart second = mock(Hart.class, withSettings().stubOnly());
    private final List<String> events = new ArrayList<>();

    @Test
    void singleSteppedHartsRunOneInstructionAtATimeAndAHoldStopsTheRound() {
        when(second.hartId()).thenReturn(1);
        long[] pc = {0x8000_0000L};
        when(first.run(anyLong())).thenAnswer(call -> {
            events.add("first runs " + call.getArgument(0));
            pc[0] += 4;
            return HartExit.BUDGET_EXHAUSTED;
        });
        when(first.pc()).thenAnswer(call -> pc[0]);
        when(second.run(anyLong())).thenAnswer(call -> {
            events.add("second runs " + call.getArgument(0));
            return HartExit.BUDGET_EXHAUSTED;
        });
        VirtMachine machine = new VirtMachine(List.of(first, second), null, null, Optional.empty(), null, List.of(),
                mock(TimeSource.class), null, null);
        Hypervisor hypervisor = mock(Hypervisor.class, withSettings().stubOnly());
        when(hypervisor.isRunnable(any())).thenReturn(true);
        when(hypervisor.handleExit(any(), any())).thenReturn(ExitAction.RESUME);
        when(hypervisor.guestPc(any(), anyLong())).thenAnswer(call -> (long) call.getArgument(1) - 0x100);

        new RunLoop(machine, hypervisor, Optional.empty(), new RunLimits(0, Duration.ofSeconds(60)), () -> false)
                .controlledBy(new BreakAt(machine, 0x8000_0008L - 0x100)).run();

        assertThat(events).containsExactly("round", "first runs 1", "at 7fffff04", "first runs 1", "at 7fffff08",
                "held", "round: held, then the run stopped");
    }

    /** Holds at a guest address, then ends the run at the next round. */
    private final class BreakAt implements ExecutionControl {
        private final VirtMachine machine;
        private final long address;
        private boolean held;

        BreakAt(VirtMachine machine, long address) {
            this.machine = machine;
            this.address = address;
        }

        @Override
        public void beforeRound(BooleanSupplier giveUp) {
            if (held) {
                events.add("round: held, then the run stopped");
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
            } else {
                events.add("round");
            }
        }

        @Override
        public boolean singleInstruction() {
            return true;
        }

        @Override
        public void afterInstruction(Hart hart, long guestPc) {
            events.add("at " + Long.toHexString(guestPc));
            if (guestPc == address) {
                held = true;
                events.add("held");
            }
        }

        @Override
        public boolean held() {
            return held;
        }
    }
}
