package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.run.ExecutionControl;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A debugger's hold on a run, in GDB's all-stop mode: the machine starts held (as QEMU's {@code -S}); a continue or a
 * step lets the run loop go on, and a breakpoint, the end of a step or the user's interrupt holds every hart again at
 * the end of an instruction, after which the stop is reported. While a breakpoint is set or a step is under way the
 * loop runs the harts one instruction at a time (about ten times slower), so that a breakpoint needs no change to the
 * guest's memory and works the same under every strategy (its address is the guest's, {@link Hypervisor#guestPc});
 * so does a watchpoint, checked against the access each next instruction would make ({@link MemoryAccess}).
 *
 * <p>The run loop's thread calls the {@link ExecutionControl} methods; the debugger's thread calls the others.
 */
final class DebugSession implements ExecutionControl {
    private enum Mode { HELD, RUNNING, STEPPING }

    // Breakpoint addresses, software (Z0) and hardware (Z1) ones, with how many times each was inserted.
    private final Map<Long, Integer> breakpoints = new ConcurrentHashMap<>();
    private final Map<Long, Integer> hardwareBreakpoints = new ConcurrentHashMap<>();
    private final Set<Watchpoint> watches = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.HELD;
    private volatile boolean interruptRequested;
    private volatile boolean detached;
    private int steppingHart;
    // The only hart that runs (GDB's Hc naming one thread before c or s), or -1 for all.
    private volatile int onlyHart = -1;
    // The stop the loop will report once it holds (loop thread), and the one it reported (read by the debugger).
    private Stop pendingStop;
    private Stop stop;
    private int lastStoppedHart;
    private Runnable whenStarted = () -> { };
    private GuestOutcome outcome;
    private VirtMachine machine;
    private Hypervisor hypervisor;
    private GuestAddressSpace memory;

    @Override
    public synchronized void started(VirtMachine startedMachine, Hypervisor startedHypervisor) {
        this.machine = startedMachine;
        this.hypervisor = startedHypervisor;
        this.memory = new GuestAddressSpace(startedMachine.memory(), startedHypervisor);
        lastStoppedHart = startedMachine.harts().get(0).hartId();
        pendingStop = new Stop(StopReply.signal(StopReply.SIGTRAP, lastStoppedHart), lastStoppedHart);
        notifyAll();
        whenStarted.run();
    }

    @Override
    public synchronized void beforeRound(BooleanSupplier giveUp) {
        if (interruptRequested && mode != Mode.HELD) {
            hold(StopReply.signal(StopReply.SIGINT, lastStoppedHart), lastStoppedHart);
        }
        if (mode != Mode.HELD) {
            return;
        }
        if (pendingStop != null) {
            stop = pendingStop;
            lastStoppedHart = stop.hartId();
            pendingStop = null;
            notifyAll();
        }
        while (mode == Mode.HELD && !giveUp.getAsBoolean()) {
            try {
                wait(100);
            } catch (InterruptedException e) { // the loop's thread is asked to end: no more holds
                Thread.currentThread().interrupt();
                detached = true;
                mode = Mode.RUNNING;
                return;
            }
        }
    }

    @Override
    public boolean singleInstruction() {
        return mode == Mode.STEPPING || !breakpoints.isEmpty() || !hardwareBreakpoints.isEmpty()
                || !watches.isEmpty();
    }

    @Override
    public void afterInstruction(Hart hart, long guestPc) {
        int id = hart.hartId();
        if (mode == Mode.STEPPING && id == steppingHart) {
            hold(StopReply.signal(StopReply.SIGTRAP, id), id);
        } else if (hardwareBreakpoints.containsKey(guestPc)) {
            hold(StopReply.breakpoint(id, true), id);
        } else if (breakpoints.containsKey(guestPc)) {
            hold(StopReply.breakpoint(id, false), id);
        }
    }

    /**
     * Watchpoints are looked at before each instruction, the first after a resume included (GDB takes a RISC-V
     * watchpoint as not steppable and removes it while it steps over the access itself).
     */
    @Override
    public void beforeInstruction(Hart hart, long guestPc) {
        if (!watches.isEmpty()) {
            watchHit(hart, guestPc).ifPresent(watch -> hold(StopReply.watch(hart.hartId(), watch), hart.hartId()));
        }
    }

    @Override
    public boolean mayRun(Hart hart) {
        int only = onlyHart;
        return only < 0 || hart.hartId() == only;
    }

    /** The watchpoint the hart's next instruction would hit, if any. */
    private Optional<Watchpoint> watchHit(Hart hart, long guestPc) {
        OptionalInt bits = memory.instruction(hart, guestPc);
        Optional<MemoryAccess> access = bits.isPresent() ? MemoryAccess.of(bits.getAsInt(), hart) : Optional.empty();
        return access.flatMap(next -> watches.stream().filter(watch -> watch.hitBy(next)).findFirst());
    }

    @Override
    public boolean held() {
        return mode == Mode.HELD;
    }

    @Override
    public synchronized void finished(GuestOutcome guestOutcome) {
        outcome = guestOutcome;
        notifyAll();
    }

    private synchronized void hold(String reply, int hartId) {
        interruptRequested = false; // an interrupt that came meanwhile is answered by this stop
        if (!detached) {
            mode = Mode.HELD;
            pendingStop = new Stop(reply, hartId);
        }
    }

    // The debugger's side.

    /**
     * Waits until the run has started, for the machine's harts and memory.
     *
     * @return the machine
     * @throws InterruptedException when interrupted
     */
    synchronized VirtMachine awaitMachine() throws InterruptedException {
        while (machine == null && outcome == null) {
            wait();
        }
        return machine;
    }

    /**
     * Returns the VMM, which maps a hart's pc to the guest's.
     *
     * @return the hypervisor, null before the run started
     */
    synchronized Hypervisor hypervisor() {
        return hypervisor;
    }

    /**
     * Registers what to do once the run has started and is held for the debugger (say where to connect: a run that
     * fails before then, on a bad image, never waits).
     *
     * @param action what to do, on the run loop's thread
     */
    synchronized void whenStarted(Runnable action) {
        whenStarted = action;
    }

    /** Lets every hart run until a breakpoint, an interrupt or the end of the run. */
    void resume() {
        resume(-1);
    }

    /**
     * Lets one hart, or every hart, run until a breakpoint, an interrupt or the end of the run.
     *
     * @param only the hart to run alone, or -1 for all
     */
    synchronized void resume(int only) {
        stop = null;
        pendingStop = null;
        interruptRequested = false;
        onlyHart = only;
        mode = Mode.RUNNING;
        notifyAll();
    }

    /**
     * Runs one instruction of a hart, then holds.
     *
     * @param hartId the hart
     * @param alone whether the other harts keep still meanwhile (else they run, one instruction at a time)
     */
    synchronized void step(int hartId, boolean alone) {
        stop = null;
        pendingStop = null;
        interruptRequested = false;
        steppingHart = hartId;
        onlyHart = alone ? hartId : -1;
        mode = Mode.STEPPING;
        notifyAll();
    }

    /** The user's interrupt (Ctrl-C): hold the machine at the end of the harts' current slices. */
    void interrupt() {
        VirtMachine current;
        synchronized (this) {
            if (mode == Mode.HELD) {
                return;
            }
            interruptRequested = true;
            current = machine;
        }
        if (current != null) {
            current.wakeUp().signal(); // an idle machine looks at once; a running one at the end of its slices
        }
    }

    /**
     * A debugger connected: holds may happen again (an earlier one may have detached), and a running machine is held
     * for it, as QEMU stops the VM when GDB connects.
     */
    void attach() {
        synchronized (this) {
            detached = false;
        }
        interrupt();
    }

    /**
     * Returns the hart of the last stop, which GDB takes as the thread it now looks at.
     *
     * @return its id
     */
    synchronized int stoppedHart() {
        return stop != null ? stop.hartId() : lastStoppedHart;
    }

    /**
     * Waits for the run to hold (or end).
     *
     * @param whileWaiting called every 20 ms (the debugger's connection is read for an interrupt there)
     * @return the stop reply, or the exit reply ({@code W}) once the run ended, or null when the debugger has gone
     * @throws InterruptedException when interrupted
     */
    String awaitStop(Runnable whileWaiting) throws InterruptedException {
        while (true) {
            synchronized (this) {
                if (outcome != null) {
                    return StopReply.exited(outcome.exitCode());
                }
                if (stop != null) {
                    return stop.reply();
                }
                if (detached) {
                    return null; // the debugger has gone: nothing will stop
                }
                wait(20);
            }
            whileWaiting.run();
        }
    }

    /**
     * Returns the last stop, for GDB's {@code ?}.
     *
     * @return the stop reply, or the exit reply once the run ended
     * @throws InterruptedException when interrupted
     */
    String lastStop() throws InterruptedException {
        return awaitStop(() -> { });
    }

    /**
     * Tells whether the run has ended.
     *
     * @return true once ended
     */
    synchronized boolean ended() {
        return outcome != null;
    }

    /**
     * Sets a breakpoint: a hart that reaches this guest address holds before running the instruction there. Software
     * and hardware ones are the same check; the stop says which kind GDB inserted.
     *
     * @param address the guest's (virtual) address
     * @param hardware whether GDB asked for a hardware one (Z1)
     */
    void addBreakpoint(long address, boolean hardware) {
        (hardware ? hardwareBreakpoints : breakpoints).merge(address, 1, Integer::sum);
    }

    /**
     * Removes a breakpoint.
     *
     * @param address the guest's address
     * @param hardware whether it was a hardware one
     */
    void removeBreakpoint(long address, boolean hardware) {
        (hardware ? hardwareBreakpoints : breakpoints).computeIfPresent(address,
                (where, count) -> count > 1 ? count - 1 : null);
    }

    /**
     * Sets a watchpoint: a hart about to run an instruction that accesses these bytes as the watchpoint says holds
     * before it (its pc at that instruction), as RISC-V's triggers do and GDB expects (it steps over the instruction
     * itself).
     *
     * @param watch what to watch
     */
    void addWatch(Watchpoint watch) {
        watches.add(watch);
    }

    /**
     * Removes a watchpoint.
     *
     * @param watch what was watched
     */
    void removeWatch(Watchpoint watch) {
        watches.remove(watch);
    }

    /** The debugger left: no breakpoints, no more holds, and the run goes on. */
    void detach() {
        breakpoints.clear();
        hardwareBreakpoints.clear();
        watches.clear();
        synchronized (this) {
            detached = true;
        }
        resume();
    }

    /** The debugger ends the run (GDB's kill). */
    void kill() {
        VirtMachine current;
        synchronized (this) {
            current = machine;
        }
        if (current != null) {
            current.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "killed by the debugger"));
        }
        detach();
    }

    /** A stop reply and the hart it names. */
    private record Stop(String reply, int hartId) {
    }
}
