package io.vmmlab.api.cpu;

/**
 * Why {@link Hart#run(long)} returned to its host, in the manner of KVM's {@code KVM_RUN} exit reasons.
 */
public enum HartExit {
    /**
     * A trap targeted a level the host emulates (see {@link TrapInterception}); {@link Hart#pendingTrap()}
     * describes it. The hart has not taken the trap: pc, privilege and CSRs are as they were just before it, so
     * the host may emulate the instruction and advance pc, or deliver the trap itself.
     */
    TRAP,
    /** The hart executed WFI and no enabled interrupt is pending; pc points past the WFI. */
    WAIT_FOR_INTERRUPT,
    /** The instruction budget given to {@link Hart#run(long)} is used up. */
    BUDGET_EXHAUSTED,
    /** Another thread called {@link Hart#requestExit()}. */
    EXIT_REQUESTED
}
