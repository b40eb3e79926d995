package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/** The debugger's hold as the run loop sees it: breakpoints counted by insertion, and interrupts answered once. */
final class DebugSessionTest {
    private final Hart hart = mock(Hart.class);
    private final DebugSession session = new DebugSession();

    DebugSessionTest() {
        session.started(new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(),
                mock(TimeSource.class), null, null), mock(Hypervisor.class, withSettings()
                .defaultAnswer(CALLS_REAL_METHODS)));
        session.beforeRound(() -> true); // held at the start; reported
    }

    @Test
    void anInterruptThatCameWithABreakpointsStopIsNotAnsweredAgainLater() {
        session.addBreakpoint(0x8000_0010L, false);
        session.resume();
        session.interrupt(); // the user's Ctrl-C, while the harts run
        session.afterInstruction(hart, 0x8000_0010L); // and a breakpoint in the same round
        session.beforeRound(() -> true);
        assertThat(session.held()).isTrue();

        session.resume();
        session.beforeRound(() -> true);

        assertThat(session.held()).as("the interrupt was answered by the breakpoint's stop").isFalse();
    }

    @Test
    void aBreakpointInsertedTwiceStaysUntilRemovedTwice() throws InterruptedException {
        session.addBreakpoint(0x8000_0010L, true); // hbreak *X
        session.addBreakpoint(0x8000_0010L, true); // and again, from another GDB breakpoint at X
        session.addBreakpoint(0x8000_0010L, false); // break *X
        session.removeBreakpoint(0x8000_0010L, true);
        session.removeBreakpoint(0x8000_0010L, false);
        session.resume();

        session.afterInstruction(hart, 0x8000_0010L);
        session.beforeRound(() -> true);

        assertThat(session.held()).isTrue();
        assertThat(session.lastStop()).as("a hardware breakpoint's stop").isEqualTo("T05thread:1;hwbreak:;");
        session.removeBreakpoint(0x8000_0010L, true);
        assertThat(session.singleInstruction()).as("none left: full speed").isFalse();
    }
}
