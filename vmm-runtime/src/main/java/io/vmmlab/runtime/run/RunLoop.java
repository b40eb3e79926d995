package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.device.Device;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.time.DeterministicTimeSource;
import io.vmmlab.runtime.time.HostTimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Drives the harts of one machine, interleaved on the calling thread, in the manner of a VMM's vCPU loop: run a
 * hart for a bounded slice, hand every exit (traps, WFI, the slice's end, a requested exit) to the hypervisor,
 * poll the devices, check the limits, and when every runnable hart waits for an interrupt (or none is runnable),
 * let time pass to the next deadline (a device's, a hart's own timer) or until a host thread wakes the machine.
 * Interleaving with fixed slices keeps deterministic mode reproducible.
 */
public final class RunLoop {
    private static final Logger log = LoggerFactory.getLogger(RunLoop.class);
    /** Guest instructions per hart slice; devices are polled between slices. */
    static final long SLICE = 20_000;
    /** Traps in a row without an instruction retired that mean a guest can make no more progress. */
    static final long STUCK_TRAPS = 1_000_000;
    /**
     * How far time moves at most while every hart waits, in 10 MHz ticks (1 ms), unless the loop knows every deadline:
     * with every hart telling its own timer's ({@link Hart#timerDeadline()}), it waits for the next deadline at once
     * (deterministic mode jumps there), so a guest that idles between timer ticks waits once per tick, as under a VMM
     * that blocks an idle vCPU until its next interrupt.
     */
    private static final long IDLE_STEP = 10_000;
    /** How often, in 10 MHz ticks (100 ms), a host-time wait still polls the devices and checks the limits. */
    private static final long IDLE_POLL = 1_000_000;
    /** A hold longer than this (1 ms) is left out of host-driven platform time. */
    private static final long HELD_NANOS = 1_000_000;

    private final VirtMachine machine;
    private final Hypervisor hypervisor;
    private final Optional<DeterministicTimeSource> deterministicTime;
    private final RunLimits limits;
    private final BooleanSupplier quitRequested;
    private final long stuckTraps;
    private final Optional<ExitProfile> profile;
    private ExecutionControl control = ExecutionControl.NONE;
    // The hart each round starts with: always 0 unless a control holds the machine mid-round.
    private int firstHart;
    // Per hart (by hart id): trap exits in a row with no instruction retired on that hart, and its count at the
    // last exit.
    private final long[] exitsWithoutProgress;
    private final long[] retiredAtLastExit;
    // Per hart: not runnable at its turn in the last round (so it did not run in it).
    private final boolean[] notRun;
    // The time at which the loop last kept time from moving for a woken hart (see woken).
    private long heldAt = -1;

    /**
     * Creates the loop.
     *
     * @param machine the board
     * @param hypervisor the strategy's VMM
     * @param deterministicTime the instruction-driven clock, in deterministic mode
     * @param limits when to give up
     * @param quitRequested tells whether the user asked to quit (Ctrl-A X)
     */
    public RunLoop(VirtMachine machine, Hypervisor hypervisor, Optional<DeterministicTimeSource> deterministicTime,
                   RunLimits limits, BooleanSupplier quitRequested) {
        this(machine, hypervisor, deterministicTime, limits, quitRequested, Optional.empty());
    }

    /**
     * Creates the loop, counting every exit in a profile.
     *
     * @param machine the board
     * @param hypervisor the strategy's VMM
     * @param deterministicTime the instruction-driven clock, in deterministic mode
     * @param limits when to give up
     * @param quitRequested tells whether the user asked to quit (Ctrl-A X)
     * @param profile where exits are counted by guest instruction and reason, with the events the hypervisor counts
     *                while it handles them, if anywhere
     */
    public RunLoop(VirtMachine machine, Hypervisor hypervisor, Optional<DeterministicTimeSource> deterministicTime,
                   RunLimits limits, BooleanSupplier quitRequested, Optional<ExitProfile> profile) {
        this(machine, hypervisor, deterministicTime, limits, quitRequested, profile, STUCK_TRAPS);
    }

    /** Creates the loop with another count of traps that means stuck (tests). */
    RunLoop(VirtMachine machine, Hypervisor hypervisor, Optional<DeterministicTimeSource> deterministicTime,
            RunLimits limits, BooleanSupplier quitRequested, long stuckTraps) {
        this(machine, hypervisor, deterministicTime, limits, quitRequested, Optional.empty(), stuckTraps);
    }

    private RunLoop(VirtMachine machine, Hypervisor hypervisor, Optional<DeterministicTimeSource> deterministicTime,
                    RunLimits limits, BooleanSupplier quitRequested, Optional<ExitProfile> profile, long stuckTraps) {
        this.stuckTraps = stuckTraps;
        this.profile = profile;
        profile.ifPresent(exits -> exits.meter(machine.counters()));
        this.machine = machine;
        this.hypervisor = hypervisor;
        this.deterministicTime = deterministicTime;
        this.limits = limits;
        this.quitRequested = quitRequested;
        this.exitsWithoutProgress = new long[machine.harts().size()];
        this.retiredAtLastExit = new long[machine.harts().size()];
        this.notRun = new boolean[machine.harts().size()];
        Arrays.fill(retiredAtLastExit, -1);
    }

    /**
     * Lets a control (a debugger) hold the loop or make it single-step the harts.
     *
     * @param executionControl the control
     * @return this loop
     */
    public RunLoop controlledBy(ExecutionControl executionControl) {
        this.control = Objects.requireNonNull(executionControl, "executionControl is null");
        return this;
    }

    /**
     * Runs until the machine stops or a limit is reached.
     *
     * @return how the run ended
     */
    public GuestOutcome run() {
        List<Hart> harts = machine.harts();
        long deadline = limits.timeout().isZero() ? Long.MAX_VALUE : System.nanoTime() + limits.timeout().toNanos();
        // Each round is a method of its own, so the JIT compiles it even where this loop, entered once, stays
        // interpreted (the launcher turns off on-stack replacement, see vmm).
        control.started(machine, hypervisor);
        boolean running = true;
        while (running && machine.outcome().isEmpty()) {
            holdFor(deadline);
            running = round(harts, deadline);
        }
        GuestOutcome outcome = machine.outcome().orElseThrow();
        control.finished(outcome);
        return outcome;
    }

    /**
     * Lets the control hold the machine before a round. Platform time that follows the host's leaves the hold out (as
     * QEMU's virtual clock stops while GDB holds the guest); deterministic time does not move while nothing runs.
     */
    private void holdFor(long deadline) {
        long before = System.nanoTime();
        control.beforeRound(() -> quitRequested.getAsBoolean() || System.nanoTime() > deadline);
        long held = System.nanoTime() - before;
        if (held > HELD_NANOS && machine.time() instanceof HostTimeSource hostTime) {
            hostTime.exclude(held);
        }
    }

    /** Runs every runnable hart for one slice and polls the devices; false when a limit ended the run. */
    private boolean round(List<Hart> harts, long deadline) {
        boolean allWaiting = true;
        for (int turn = 0; turn < harts.size() && machine.outcome().isEmpty() && !control.held(); turn++) {
            int index = (firstHart + turn) % harts.size();
            Hart hart = harts.get(index);
            if (!control.mayRun(hart)) {
                continue;
            }
            if (!hypervisor.isRunnable(hart)) {
                notRun[index] = true;
                continue;
            }
            notRun[index] = false;
            long budget = budget();
            if (budget == 0) {
                break;
            }
            // A waiting hart runs again every round: if nothing woke it, its idle loop reaches WFI at once.
            allWaiting &= control.singleInstruction() ? stepInstructions(hart, budget) : step(hart, budget);
            if (control.held()) { // the next round starts with the next hart, so that every hart gets its turn
                firstHart = (index + 1) % harts.size();
            }
        }
        long nextEvent = pollDevices();
        if (checkLimits(deadline)) {
            return false;
        }
        if (allWaiting && !control.held() && !woken(harts)) {
            idle(nextEvent, deadline);
            pollDevices(); // at the new time, so that the harts see what it raised (a timer) when they run
        }
        return true;
    }

    /**
     * Tells whether a hart that waited may have been woken since it ran this round, so that time must not move yet:
     * a hart another one started after its turn (SBI HSM), or one with an interrupt pending and enabled (a timer the
     * devices' poll raised, an IPI another hart sent). Once per point in time at most: a hart whose hypervisor keeps it
     * waiting all the same must not stop time.
     */
    private boolean woken(List<Hart> harts) {
        long now = machine.time().now();
        if (now == heldAt || !mayHaveWoken(harts)) {
            return false;
        }
        heldAt = now;
        return true;
    }

    /** Whether a hart that did not run or waited this round is runnable now, or has an interrupt pending and enabled. */
    private boolean mayHaveWoken(List<Hart> harts) {
        for (int index = 0; index < harts.size(); index++) {
            Hart hart = harts.get(index);
            if (hypervisor.isRunnable(hart) && (notRun[index]
                    || (hart.readCsr(CsrNumbers.MIP) & hart.readCsr(CsrNumbers.MIE)) != 0)) {
                return true;
            }
        }
        return false;
    }

    /** Runs a hart's slice one instruction at a time for the control; true when the hart waits. */
    private boolean stepInstructions(Hart hart, long budget) {
        for (long done = 0; done < budget; done++) {
            control.beforeInstruction(hart, hypervisor.guestPc(hart, hart.pc()));
            if (control.held()) {
                return false;
            }
            boolean waiting = step(hart, 1);
            control.afterInstruction(hart, hypervisor.guestPc(hart, hart.pc()));
            if (waiting || control.held() || machine.outcome().isPresent()) {
                return waiting;
            }
        }
        return false;
    }

    private boolean step(Hart hart, long budget) {
        HartExit exit = hart.run(budget);
        if (profile.isPresent()) {
            profile.get().record(hypervisor, hart, exit);
        }
        // Every exit goes to the hypervisor, as its contract says: an exit a hypervisor requested itself (a
        // binary-translated WFI's callout asks for one) may be its way to wait.
        ExitAction action = hypervisor.handleExit(hart, exit);
        if (profile.isPresent()) {
            profile.get().exitHandled(); // what the VMM counted meanwhile is the exit's
        }
        if (action == ExitAction.WAIT_FOR_INTERRUPT) {
            // Waiting (WFI, a paravirtual guest's block hypercall, which it re-executes each round until an event):
            // idle, not stuck.
            exitsWithoutProgress[hart.hartId()] = 0;
        } else if (action == ExitAction.RESUME && (exit == HartExit.TRAP || exit == HartExit.BUDGET_EXHAUSTED)) {
            checkProgress(hart, exit);
            if (machine.outcome().isPresent()) {
                return false;
            }
        }
        return switch (action) {
            case RESUME -> false;
            case WAIT_FOR_INTERRUPT -> true;
            case STOP -> {
                if (machine.outcome().isEmpty()) {
                    machine.stop(new GuestOutcome(GuestOutcome.Status.INTERNAL_ERROR,
                            "the hypervisor stopped the machine without saying why"));
                }
                yield false;
            }
        };
    }

    /**
     * Stops a guest that can make no progress: a hart that keeps taking traps without retiring an instruction in
     * between, whether inside the hart (a trap vector that faults at once) or through the hypervisor (its trap exits
     * with no instruction retired on that hart; counted per hart, so that other harts' progress does not hide it).
     * Such a loop never ends and no instruction limit ends it.
     */
    private void checkProgress(Hart hart, HartExit exit) {
        int id = hart.hartId();
        long retired = hart.instructionsRetired();
        if (retired != retiredAtLastExit[id]) {
            retiredAtLastExit[id] = retired;
            exitsWithoutProgress[id] = 0;
        } else if (exit == HartExit.TRAP) {
            exitsWithoutProgress[id]++;
        }
        long traps = Math.max(hart.trapsWithoutProgress(), exitsWithoutProgress[id]);
        if (traps >= stuckTraps) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, "hart " + id
                    + " is stuck: " + traps + " traps in a row without retiring an instruction (a trap handler "
                    + "that faults at once?)"));
        }
    }

    private long budget() {
        if (limits.maxInstructions() == 0) {
            return SLICE;
        }
        return Math.max(0, Math.min(SLICE, limits.maxInstructions() - machine.instructionsRetired()));
    }

    private long pollDevices() {
        long now = machine.time().now();
        long next = Long.MAX_VALUE;
        for (Device device : machine.devices()) {
            try {
                next = Math.min(next, device.poll(now));
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw PluginFailure.of(PluginFailure.label(device), "failed when polled", e);
            }
        }
        return next;
    }

    /**
     * The earliest of the harts' own timer deadlines after now (one that has passed raises an interrupt the hart has
     * left disabled, which will not wake it), or unknown when a hart cannot tell. Every hart counts, runnable or not:
     * a hart its hypervisor keeps off the loop while it waits in WFI wakes at its timer.
     */
    private long hartTimerDeadline(long now) {
        long earliest = Long.MAX_VALUE;
        for (Hart hart : machine.harts()) {
            long deadline = hart.timerDeadline();
            if (deadline == Hart.TIMER_DEADLINE_UNKNOWN) {
                return Hart.TIMER_DEADLINE_UNKNOWN;
            }
            if (deadline > now) {
                earliest = Math.min(earliest, deadline);
            }
        }
        return earliest;
    }

    private boolean checkLimits(long deadline) {
        if (machine.outcome().isPresent()) {
            return true;
        }
        if (quitRequested.getAsBoolean()) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "quit at the user's request (Ctrl-A X)"));
        } else if (limits.maxInstructions() > 0 && machine.instructionsRetired() >= limits.maxInstructions()) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.LIMIT_REACHED,
                    "instruction limit of " + limits.maxInstructions() + " reached"));
        } else if (System.nanoTime() > deadline) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.LIMIT_REACHED,
                    "timeout of " + limits.timeout().toMillis() / 1000.0 + " s reached"));
        }
        return machine.outcome().isPresent();
    }

    private void idle(long nextEvent, long deadline) {
        long now = machine.time().now();
        long devices = nextEvent > now ? nextEvent : Long.MAX_VALUE; // polled this round already
        long harts = hartTimerDeadline(now);
        if (deterministicTime.isPresent()) {
            skipAhead(now, devices, harts);
        } else if (harts == Hart.TIMER_DEADLINE_UNKNOWN) {
            machine.wakeUp().await(ticksToNanos(Math.min(devices, now + IDLE_STEP) - now));
        } else {
            waitInHost(Math.min(devices, harts), deadline);
        }
        if (log.isTraceEnabled()) {
            log.trace("All harts idle; time {} -> {}", now, machine.time().now());
        }
    }

    /** Deterministic mode: guest time jumps to the next deadline (or moves a step when the loop cannot know it). */
    private void skipAhead(long now, long devices, long harts) {
        long next = harts == Hart.TIMER_DEADLINE_UNKNOWN ? Long.MAX_VALUE : Math.min(devices, harts);
        deterministicTime.get().skipTo(next != Long.MAX_VALUE ? next : Math.min(devices, now + IDLE_STEP));
        if (next == Long.MAX_VALUE && harts != Hart.TIMER_DEADLINE_UNKNOWN) {
            // Guest time has moved already. Nothing the loop knows of will ever wake a hart: only console input (or
            // the timeout, or Ctrl-A X) can. Wait for it in host time rather than spin a core racing guest time.
            machine.wakeUp().await(ticksToNanos(IDLE_STEP));
        }
    }

    /**
     * Host time: sleeps until the next deadline (a device's, a hart's own timer), or until a host thread signals the
     * machine (console input, a device's host-side event, a stop), as KVM parks a halted vCPU's thread. Every
     * {@link #IDLE_POLL} it still polls the devices and checks the limits, for what signals nothing: a device plugin
     * that does not call {@code MachineControl.wakeUp}, a resident host's client that went away, the timeout.
     */
    private void waitInHost(long target, long deadline) {
        while (true) {
            long left = target - machine.time().now();
            if (left <= 0 || System.nanoTime() > deadline) {
                return;
            }
            long nanos = Math.min(ticksToNanos(Math.min(left, IDLE_POLL)),
                    deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime());
            if (machine.wakeUp().await(nanos) || quitRequested.getAsBoolean()) {
                return;
            }
            long now = machine.time().now();
            long devices = pollDevices();
            if (devices > now) {
                target = Math.min(target, devices);
            }
            if (mayHaveWoken(machine.harts())) {
                return;
            }
        }
    }

    private long ticksToNanos(long ticks) {
        long nanosPerTick = Math.max(1, 1_000_000_000L / machine.time().frequencyHz());
        return ticks > Long.MAX_VALUE / nanosPerTick ? Long.MAX_VALUE : ticks * nanosPerTick;
    }
}
