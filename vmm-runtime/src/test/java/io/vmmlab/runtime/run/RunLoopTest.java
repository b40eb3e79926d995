package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.metrics.MachineCounters;
import io.vmmlab.runtime.time.DeterministicTimeSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * The run loop's stuck-guest check: trap exits that the hypervisor resumes with nothing retired on their hart stop
 * the guest; a hart that waits (WFI, a paravirtual block hypercall it re-executes each round) is idle, not stuck.
 */
final class RunLoopTest {
    private static final long STUCK = 1000;

    /** A clock of 1 GHz that does not move: an idle round sleeps for microseconds only. */
    private static final TimeSource CLOCK = new TimeSource() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public long frequencyHz() {
            return 1_000_000_000L;
        }
    };

    private final Hart hart = mock(Hart.class, withSettings().stubOnly());

    private VirtMachine machine() {
        when(hart.run(anyLong())).thenReturn(HartExit.TRAP);
        // A hart that cannot tell its timer's deadline: an idle round waits one step (10 us on this clock).
        when(hart.timerDeadline()).thenReturn(Hart.TIMER_DEADLINE_UNKNOWN);
        return new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(), CLOCK, null, null);
    }

    private static RunLoop loop(VirtMachine machine, Hypervisor hypervisor) {
        return new RunLoop(machine, hypervisor, Optional.empty(), new RunLimits(0, Duration.ofSeconds(60)),
                () -> false, STUCK);
    }

    @Test
    void trapExitsResumedWithNothingRetiredStopTheGuestAsStuck() {
        VirtMachine machine = machine();
        AtomicInteger exits = new AtomicInteger();
        Hypervisor resumes = mock(Hypervisor.class, withSettings().stubOnly());
        when(resumes.isRunnable(any())).thenReturn(true);
        when(resumes.handleExit(any(), any())).thenAnswer(call -> {
            exits.incrementAndGet();
            return ExitAction.RESUME;
        });

        GuestOutcome outcome = loop(machine, resumes).run();

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.GUEST_FAILED);
        assertThat(outcome.message()).startsWith("hart 0 is stuck: " + STUCK + " traps in a row");
        assertThat(exits.get()).isEqualTo((int) STUCK + 1);
    }

    @Test
    void aHartThatWaitsAfterEachTrapExitIsIdleNotStuck() {
        VirtMachine machine = machine();
        AtomicInteger exits = new AtomicInteger();
        Hypervisor blocks = mock(Hypervisor.class, withSettings().stubOnly());
        when(blocks.isRunnable(any())).thenReturn(true);
        when(blocks.handleExit(any(), any())).thenAnswer(call -> {
            if (exits.incrementAndGet() == 5 * STUCK) {
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
                return ExitAction.STOP;
            }
            return ExitAction.WAIT_FOR_INTERRUPT;
        });

        GuestOutcome outcome = loop(machine, blocks).run();

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.POWERED_OFF);
    }

    /**
     * A profile given to the loop counts each exit at the guest's address, before the hypervisor moves the hart on,
     * with what the hypervisor counts while it handles it (and not what the hart counts as it runs, nor what the
     * hypervisor counts at a slice's end).
     */
    @Test
    void aProfileCountsEveryExitBeforeTheHypervisorHandlesItWithTheEventsCountedMeanwhile() {
        MachineCounters counters = new MachineCounters();
        Counter walks = counters.counter("mmu", "walk", CostCategory.PAGE_WALK);
        Counter traps = counters.counter("reflect", "load-page-fault", CostCategory.TRAP_ROUND_TRIP);
        Counter fills = counters.counter("shadow", "fault-fill", CostCategory.PAGE_WALK);
        AtomicInteger slices = new AtomicInteger();
        when(hart.run(anyLong())).thenAnswer(call -> {
            walks.add(3); // the hart's own walks, before it exits
            return slices.incrementAndGet() == 1 ? HartExit.TRAP : HartExit.BUDGET_EXHAUSTED;
        });
        when(hart.pendingTrap()).thenReturn(new PendingTrap(TrapCause.LOAD_PAGE_FAULT, 0x1000, 0, 0, 0x8000_0010L,
                PrivilegeMode.SUPERVISOR, false));
        VirtMachine machine = new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(), CLOCK,
                counters, null);
        AtomicInteger exits = new AtomicInteger();
        Hypervisor handles = mock(Hypervisor.class, withSettings().stubOnly());
        when(handles.isRunnable(any())).thenReturn(true);
        when(handles.guestPc(any(), anyLong())).thenAnswer(call -> call.getArgument(1));
        when(handles.handleExit(any(), any())).thenAnswer(call -> {
            if (exits.incrementAndGet() == 2) { // the slice's end: not an entry
                traps.increment();
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
                return ExitAction.STOP;
            }
            traps.increment();
            fills.add(2);
            when(hart.pendingTrap()).thenReturn(new PendingTrap(TrapCause.BREAKPOINT, 0, 0, 0, 0xdead,
                    PrivilegeMode.SUPERVISOR, false)); // handled: the hart has moved on
            return ExitAction.RESUME;
        });
        ExitProfile profile = new ExitProfile();

        new RunLoop(machine, handles, Optional.empty(), new RunLimits(0, Duration.ofSeconds(60)), () -> false,
                Optional.of(profile)).run();

        assertThat(profile.top(5)).containsExactly(new ExitSite(0x8000_0010L, "load-page-fault", 1,
                Map.of(CostCategory.TRAP_ROUND_TRIP, 1L, CostCategory.PAGE_WALK, 2L)));
    }

    /**
     * Every exit reaches the hypervisor, as the Hypervisor SPI says: fullvirt's binary translator asks for an exit when
     * the guest kernel's WFI should wait, and that wait is its answer to the requested exit. (The loop once resumed
     * budget and requested exits itself, and under bt a guest's WFI never waited.)
     */
    @Test
    void everyExitReachesTheHypervisorAndAWaitItAnswersIdlesTheHart() {
        when(hart.run(anyLong())).thenReturn(HartExit.BUDGET_EXHAUSTED, HartExit.EXIT_REQUESTED, HartExit.TRAP);
        VirtMachine machine = new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(), CLOCK,
                null, null);
        List<HartExit> seen = new ArrayList<>();
        Hypervisor waits = mock(Hypervisor.class, withSettings().stubOnly());
        when(waits.isRunnable(any())).thenReturn(true);
        when(waits.handleExit(any(), any())).thenAnswer(call -> {
            HartExit exit = call.getArgument(1);
            seen.add(exit);
            if (exit == HartExit.TRAP) {
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
                return ExitAction.STOP;
            }
            return exit == HartExit.EXIT_REQUESTED ? ExitAction.WAIT_FOR_INTERRUPT : ExitAction.RESUME;
        });

        GuestOutcome outcome = loop(machine, waits).run();

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.POWERED_OFF);
        assertThat(seen).containsExactly(HartExit.BUDGET_EXHAUSTED, HartExit.EXIT_REQUESTED, HartExit.TRAP);
    }

    /**
     * In deterministic mode, with every hart telling its own timer's deadline, time moves to the next deadline while
     * every hart waits, not in 1 ms steps (in which an idle guest ran its idle loop, and under a VMM exited, once per
     * millisecond); a hart that cannot tell keeps the steps.
     */
    @Test
    void deterministicIdleTimeMovesToTheNextHartTimerDeadline() {
        assertThat(idleRounds(2_000_000)).as("one wait, then the deadline").isEqualTo(2);
        assertThat(idleRounds(Hart.TIMER_DEADLINE_UNKNOWN)).as("1 ms steps to 0.2 s").isEqualTo(201);
    }

    /**
     * A hart its hypervisor keeps off the loop while it waits in WFI (not runnable) still has its own timer: time moves
     * straight to that deadline, not in 1 ms steps past it.
     */
    @Test
    void aHartKeptOffTheLoopWhileItWaitsWakesAtItsOwnTimerDeadline() {
        DeterministicTimeSource time = new DeterministicTimeSource(() -> 0, 10);
        long deadline = 2_000_123;
        when(hart.timerDeadline()).thenAnswer(call -> time.now() < deadline ? deadline : Long.MAX_VALUE);

        assertThat(waitUntil(time, seen -> seen.isEmpty() || time.now() >= deadline, seen -> seen.size() == 2))
                .containsExactly(0L, deadline);
    }

    /**
     * A hart that waited in a round but has an interrupt pending and enabled after it (a timer the devices' poll
     * raised, an IPI from a hart that ran later) runs once more before time moves; a hypervisor that keeps it waiting
     * all the same does not stop time.
     */
    @Test
    void aWaitingHartWithAnInterruptPendingRunsAgainBeforeTimeMoves() {
        DeterministicTimeSource time = new DeterministicTimeSource(() -> 0, 10);
        when(hart.timerDeadline()).thenReturn(2_000_000L);
        when(hart.readCsr(CsrNumbers.MIP)).thenReturn(1L << 7);
        when(hart.readCsr(CsrNumbers.MIE)).thenReturn(1L << 7);

        assertThat(waitUntil(time, seen -> seen.size() == 3)).containsExactly(0L, 0L, 2_000_000L);
    }

    /** Rounds a waiting hart runs until deterministic time reaches 2,000,000 ticks (0.2 s at 10 MHz). */
    private int idleRounds(long deadline) {
        DeterministicTimeSource time = new DeterministicTimeSource(() -> 0, 10);
        when(hart.timerDeadline()).thenAnswer(call -> time.now() < 2_000_000 ? deadline : Long.MAX_VALUE);
        return waitUntil(time, seen -> seen.get(seen.size() - 1) >= 2_000_000).size();
    }

    /**
     * Runs the hart, which always waits, under a hypervisor that answers with a wait until {@code done} holds for the
     * times its exits came at, in deterministic time.
     */
    private List<Long> waitUntil(DeterministicTimeSource time, Predicate<List<Long>> done) {
        return waitUntil(time, seen -> true, done);
    }

    /** The same under a hypervisor that calls the hart runnable when {@code runnable} holds for those times. */
    private List<Long> waitUntil(DeterministicTimeSource time, Predicate<List<Long>> runnable,
                                 Predicate<List<Long>> done) {
        when(hart.run(anyLong())).thenReturn(HartExit.WAIT_FOR_INTERRUPT);
        VirtMachine machine = new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(), time,
                null, null);
        List<Long> seen = new ArrayList<>();
        Hypervisor waits = mock(Hypervisor.class, withSettings().stubOnly());
        when(waits.isRunnable(any())).thenAnswer(call -> runnable.test(seen));
        when(waits.handleExit(any(), any())).thenAnswer(call -> {
            seen.add(time.now());
            if (done.test(seen)) {
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
                return ExitAction.STOP;
            }
            return ExitAction.WAIT_FOR_INTERRUPT;
        });
        new RunLoop(machine, waits, Optional.of(time), new RunLimits(0, Duration.ofSeconds(60)), () -> false, STUCK)
                .run();
        return seen;
    }

    @Test
    void aHartStuckInTrapExitsStopsTheGuestEvenWhileAnotherHartRetiresInstructions() {
        Hart stuck = mock(Hart.class, withSettings().stubOnly());
        Hart working = mock(Hart.class, withSettings().stubOnly());
        when(working.hartId()).thenReturn(1);
        when(stuck.run(anyLong())).thenReturn(HartExit.TRAP);
        when(working.run(anyLong())).thenReturn(HartExit.BUDGET_EXHAUSTED);
        AtomicInteger retired = new AtomicInteger();
        when(working.instructionsRetired()).thenAnswer(call -> (long) retired.incrementAndGet());
        VirtMachine machine = new VirtMachine(List.of(stuck, working), null, null, Optional.empty(), null, List.of(),
                CLOCK, null, null);
        Hypervisor resumes = mock(Hypervisor.class, withSettings().stubOnly());
        when(resumes.isRunnable(any())).thenReturn(true);
        when(resumes.handleExit(any(), any())).thenReturn(ExitAction.RESUME);

        GuestOutcome outcome = loop(machine, resumes).run();

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.GUEST_FAILED);
        assertThat(outcome.message()).startsWith("hart 0 is stuck: " + STUCK + " traps in a row");
    }
}
