package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.Hart;

/**
 * Where a guest enters its VMM without an exit: a hypervisor tells it here so that the exit profile
 * ({@code vmm run --exit-profile}) lists those entries beside the exits the run loop sees. Binary translation's
 * callouts are such entries: translated code calls the VMM to emulate a sensitive instruction, or finds a fault the
 * guest made, without leaving the hart. The runtime binds one for every strategy's module; it does nothing unless a
 * profile was asked for.
 */
public interface VmmEntries {

    /**
     * Returns entries that are not recorded.
     *
     * @return the no-op instance
     */
    static VmmEntries none() {
        return new VmmEntries() {
            @Override
            public void callout(Hart hart, long guestPc, int instruction) {
                // not recorded
            }

            @Override
            public void fault(Hart hart, long guestPc, int cause) {
                // not recorded
            }
        };
    }

    /**
     * Records a callout: translated code called the VMM to emulate one guest instruction. Called before the VMM
     * emulates it, so that the hart's registers are the instruction's operands (an ecall's a7).
     *
     * @param hart the hart
     * @param guestPc the guest's own address of the instruction
     * @param instruction the guest instruction's bits
     */
    void callout(Hart hart, long guestPc, int instruction);

    /**
     * Records a fault the VMM delivers to the guest without an exit (under bt: a jump to code the guest cannot
     * fetch).
     *
     * @param hart the hart
     * @param guestPc the guest's address the fault belongs to
     * @param cause the exception code ({@link io.vmmlab.api.cpu.TrapCause})
     */
    void fault(Hart hart, long guestPc, int cause);

    /**
     * Tells that the VMM has handled the entry it reported last ({@link #callout} or {@link #fault}) and returns to the
     * guest: the events it counted in between (the entry's own, and its work: an emulated SBI call, a shadow flush)
     * are that entry's, which the exit profile prices per place. A VMM that reports callouts or faults must call this
     * once for each, when it is done with it: an entry not closed this way is priced until the hart next returns to
     * the run loop, and so would take the hart's own events (page walks, TLB flushes, traps inside the guest) of the
     * rest of that slice too. Does nothing by default.
     *
     * @param hart the hart
     */
    default void handled(Hart hart) {
        // nothing to close
    }
}
