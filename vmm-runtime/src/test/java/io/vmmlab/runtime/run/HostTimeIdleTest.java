package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.time.HostTimeSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * The run loop with host time while every hart waits: it sleeps until the next deadline it knows of, or until a host
 * thread signals the machine, as a VMM parks a halted vCPU's thread, instead of waking every millisecond (once per
 * millisecond, an idle guest ran its idle loop and, under a VMM, exited).
 */
final class HostTimeIdleTest {
    private final HostTimeSource time = new HostTimeSource();
    private final Hart hart = mock(Hart.class, withSettings().stubOnly());

    @Test
    void aWaitingHartSleepsUntilItsOwnTimerDeadlineInOneWait() {
        long deadline = time.now() + 300_000; // 30 ms
        when(hart.timerDeadline()).thenAnswer(call -> time.now() < deadline ? deadline : Long.MAX_VALUE);

        List<Long> exits = waitUntil(seen -> seen.get(seen.size() - 1) >= deadline, () -> false, null);

        assertThat(exits).as("one wait, then the deadline (1 ms steps ran the hart about 30 times)").hasSize(2);
    }

    @Test
    void aSignalFromAHostThreadEndsTheWaitLongBeforeTheDeadline() throws InterruptedException {
        when(hart.timerDeadline()).thenReturn(time.now() + 600_000_000L); // a minute away
        List<VirtMachine> machines = new ArrayList<>();
        Thread console = new Thread(() -> {
            sleep(100);
            machines.get(0).wakeUp().signal();
        });

        List<Long> exits = waitUntil(seen -> seen.size() == 2, () -> false, machine -> {
            machines.add(machine);
            console.start();
        });

        console.join();
        assertThat(exits.get(1) - exits.get(0)).as("woken by the signal 100 ms after the first wait, not before it")
                .isGreaterThanOrEqualTo(900_000);
    }

    @Test
    void withNothingArmedTheWaitStillSeesTheUsersQuit() {
        when(hart.timerDeadline()).thenReturn(Long.MAX_VALUE);
        AtomicBoolean quit = new AtomicBoolean();
        Thread user = new Thread(() -> {
            sleep(50);
            quit.set(true);
        });
        user.start();

        List<Long> exits = waitUntil(seen -> false, quit::get, null);

        assertThat(exits).as("one wait, then the quit a poll saw").hasSizeLessThanOrEqualTo(3);
    }

    /**
     * Runs the hart, which always waits, under a hypervisor that answers with a wait until {@code done} holds for the
     * host times its exits came at (or the user quits); {@code firstExit} sees the machine at the first exit.
     */
    private List<Long> waitUntil(Predicate<List<Long>> done, BooleanSupplier quit,
                                 Consumer<VirtMachine> firstExit) {
        when(hart.run(anyLong())).thenReturn(HartExit.WAIT_FOR_INTERRUPT);
        VirtMachine machine = new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(), time,
                null, null);
        List<Long> seen = new ArrayList<>();
        Hypervisor waits = mock(Hypervisor.class, withSettings().stubOnly());
        when(waits.isRunnable(any())).thenReturn(true);
        when(waits.handleExit(any(), any())).thenAnswer(call -> {
            seen.add(time.now());
            if (seen.size() == 1 && firstExit != null) {
                firstExit.accept(machine);
            }
            if (done.test(seen)) {
                machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"));
                return ExitAction.STOP;
            }
            return ExitAction.WAIT_FOR_INTERRUPT;
        });
        GuestOutcome outcome = new RunLoop(machine, waits, Optional.empty(), new RunLimits(0, Duration.ofSeconds(60)),
                quit).run();
        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.POWERED_OFF);
        return seen;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
