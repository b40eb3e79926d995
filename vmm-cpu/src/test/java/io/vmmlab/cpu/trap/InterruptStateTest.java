package io.vmmlab.cpu.trap;

import io.vmmlab.api.testing.ManualTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sstc comparators' next deadline, which the run loop lets time pass to while every hart waits. */
final class InterruptStateTest {
    private final ManualTime time = new ManualTime();
    private final InterruptState state = new InterruptState(time);

    @BeforeEach
    void startAt1000() {
        time.set(1000);
    }

    @Test
    void noComparatorMeansNoDeadline() {
        state.stimecmp = 5000;
        state.vstimecmp = 5000;

        assertThat(state.timerDeadline()).as("menvcfg.STCE and henvcfg.STCE clear").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stimecmpIsTheDeadlineUntilItPasses() {
        state.supervisorTimerCompare = true;
        state.stimecmp = 5000;
        assertThat(state.timerDeadline()).isEqualTo(5000);

        time.set(6000);
        assertThat(state.timerDeadline()).as("pending already").isEqualTo(6000);

        state.stimecmp = -1;
        assertThat(state.timerDeadline()).as("all ones: never").isEqualTo(Long.MAX_VALUE);
        state.stimecmp = 1L << 63;
        assertThat(state.timerDeadline()).as("beyond 2^63 ticks").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void vstimecmpCountsInGuestTimeAndTheEarlierComparatorWins() {
        state.virtualTimerCompare = true;
        state.htimedelta = -400; // the guest's time is 600 now
        state.vstimecmp = 2600;
        assertThat(state.timerDeadline()).as("2000 guest ticks from now").isEqualTo(3000);

        state.supervisorTimerCompare = true;
        state.stimecmp = 2500;
        assertThat(state.timerDeadline()).isEqualTo(2500);
        state.stimecmp = 9000;
        assertThat(state.timerDeadline()).isEqualTo(3000);

        state.htimedelta = 5000; // the guest's time is 6000: its comparator has fired
        assertThat(state.timerDeadline()).isEqualTo(1000);
    }
}
