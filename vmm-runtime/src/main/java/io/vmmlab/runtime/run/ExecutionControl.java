package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;

import java.util.function.BooleanSupplier;

/**
 * What may hold the {@link RunLoop} or make it run the harts one instruction at a time: a debugger attached to the
 * guest (the GDB stub). The loop asks before every round and, while {@link #singleInstruction()} holds, after every
 * instruction; every method is called on the loop's thread.
 */
public interface ExecutionControl {
    /** Nothing holds the loop. */
    ExecutionControl NONE = new ExecutionControl() {
    };

    /**
     * The run starts on this machine, under this VMM.
     *
     * @param machine the board
     * @param hypervisor the VMM, which maps a hart's pc to the guest's address
     */
    default void started(VirtMachine machine, Hypervisor hypervisor) {
    }

    /**
     * Before a round: returns once the harts may run (at once unless the control holds the machine), or when
     * {@code giveUp} holds (the user quit, the run's time is up).
     *
     * @param giveUp checked while held
     */
    default void beforeRound(BooleanSupplier giveUp) {
    }

    /**
     * Tells whether the harts run one instruction at a time now (a breakpoint is set, or a step is under way).
     *
     * @return true to single-step
     */
    default boolean singleInstruction() {
        return false;
    }

    /**
     * A hart is about to run one instruction while single-stepping (it does not when the control then holds).
     *
     * @param hart the hart
     * @param guestPc the guest's address of the instruction
     */
    default void beforeInstruction(Hart hart, long guestPc) {
    }

    /**
     * Tells whether a hart may run now (a debugger may resume one thread alone).
     *
     * @param hart the hart
     * @return true to run it in its turn
     */
    default boolean mayRun(Hart hart) {
        return true;
    }

    /**
     * A hart ran one instruction (or took a trap) while single-stepping.
     *
     * @param hart the hart
     * @param guestPc the guest's address of its next instruction
     */
    default void afterInstruction(Hart hart, long guestPc) {
    }

    /**
     * Tells whether the control holds the machine now (a breakpoint was hit), so that the round's other harts do not
     * run.
     *
     * @return true when held
     */
    default boolean held() {
        return false;
    }

    /**
     * The run ended.
     *
     * @param outcome how
     */
    default void finished(GuestOutcome outcome) {
    }
}
