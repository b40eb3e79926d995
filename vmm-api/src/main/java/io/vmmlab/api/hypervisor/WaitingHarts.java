package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;

import java.util.function.Predicate;

/**
 * Which harts of a machine wait in WFI, for a hypervisor's {@link Hypervisor#isRunnable}: a hart whose exit the
 * hypervisor answered with {@link ExitAction#WAIT_FOR_INTERRUPT} stays off the run loop until something would wake
 * it, as a real hart stays halted in WFI. Without it the run loop, which runs every runnable hart each round, would
 * run a waiting hart again whenever another hart is busy, and the guest would go round its idle loop back to WFI once
 * per round (in the counters, a WFI exit and the idle loop's instructions each time).
 */
public final class WaitingHarts {
    private final boolean[] waiting;
    private final Predicate<Hart> wakeUp;

    /**
     * Tracks harts that wake when the hart itself has an interrupt pending and enabled ({@code mip & mie}), which is
     * WFI's condition (Privileged spec, "Wait for Interrupt Instruction": the global enables do not matter).
     *
     * @param harts the number of harts
     * @return the tracker
     */
    public static WaitingHarts wokenByTheirOwnInterrupts(int harts) {
        return new WaitingHarts(harts, WaitingHarts::interruptPendingAndEnabled);
    }

    /**
     * Tracks harts with a wake-up condition of the hypervisor's own (one that keeps a guest's interrupt state
     * apart from the hart's, say).
     *
     * @param harts the number of harts
     * @param wakeUp tells whether a waiting hart has something to wake it
     */
    public WaitingHarts(int harts, Predicate<Hart> wakeUp) {
        this.waiting = new boolean[harts];
        this.wakeUp = wakeUp;
    }

    /**
     * Notes how the hypervisor answered a hart's exit.
     *
     * @param hart the hart
     * @param action the answer; {@link ExitAction#WAIT_FOR_INTERRUPT} makes it wait
     */
    public void exited(Hart hart, ExitAction action) {
        waiting[hart.hartId()] = action == ExitAction.WAIT_FOR_INTERRUPT;
    }

    /**
     * Tells whether a hart may run as far as waiting goes: it does not wait, or something wakes it now (it then
     * waits no more).
     *
     * @param hart the hart
     * @return false while it waits with nothing to wake it
     */
    public boolean mayRun(Hart hart) {
        int id = hart.hartId();
        if (waiting[id] && !wakeUp.test(hart)) {
            return false;
        }
        waiting[id] = false;
        return true;
    }

    /**
     * Tells whether the hart has an interrupt pending and individually enabled.
     *
     * @param hart the hart
     * @return {@code (mip & mie) != 0}
     */
    public static boolean interruptPendingAndEnabled(Hart hart) {
        return (hart.readCsr(CsrNumbers.MIP) & hart.readCsr(CsrNumbers.MIE)) != 0;
    }
}
