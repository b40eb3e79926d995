package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class WaitingHartsTest {
    private final Hart hart = hart(1);

    private static Hart hart(int id) {
        Hart hart = mock(Hart.class);
        when(hart.hartId()).thenReturn(id);
        return hart;
    }

    private void interrupts(long pending, long enabled) {
        when(hart.readCsr(CsrNumbers.MIP)).thenReturn(pending);
        when(hart.readCsr(CsrNumbers.MIE)).thenReturn(enabled);
    }

    @Test
    void aHartThatWaitsRunsAgainOnlyOnceAnInterruptIsPendingAndEnabled() {
        WaitingHarts waiting = WaitingHarts.wokenByTheirOwnInterrupts(2);
        interrupts(1L << 5, 1L << 9); // a timer pending but not enabled, an external line enabled but not pending

        waiting.exited(hart, ExitAction.WAIT_FOR_INTERRUPT);

        assertThat(waiting.mayRun(hart)).isFalse();
        assertThat(waiting.mayRun(hart)).isFalse();
        assertThat(waiting.mayRun(hart(0))).as("another hart").isTrue();
        interrupts((1L << 5) | (1L << 9), 1L << 9);
        assertThat(waiting.mayRun(hart)).isTrue();
        interrupts(0, 0);
        assertThat(waiting.mayRun(hart)).as("woken once, it runs until it waits again").isTrue();
    }

    @Test
    void anyOtherAnswerLetsTheHartRun() {
        WaitingHarts waiting = WaitingHarts.wokenByTheirOwnInterrupts(2);
        interrupts(0, 0);

        waiting.exited(hart, ExitAction.WAIT_FOR_INTERRUPT);
        waiting.exited(hart, ExitAction.RESUME);

        assertThat(waiting.mayRun(hart)).isTrue();
    }

    @Test
    void aHypervisorMayGiveItsOwnWakeUpCondition() {
        AtomicBoolean guestInterrupt = new AtomicBoolean();
        WaitingHarts waiting = new WaitingHarts(2, woken -> guestInterrupt.get());
        waiting.exited(hart, ExitAction.WAIT_FOR_INTERRUPT);

        assertThat(waiting.mayRun(hart)).isFalse();
        guestInterrupt.set(true);
        assertThat(waiting.mayRun(hart)).isTrue();
    }
}
