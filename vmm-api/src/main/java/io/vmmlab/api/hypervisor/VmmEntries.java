package io.vmmlab.api.hypervisor;

/**
 * Where a guest enters its VMM without an exit: a hypervisor tells it here so that the exit profile
 * ({@code vmm run --exit-profile}) lists those entries beside the exits the run loop sees. Binary translation's
 * callouts are such entries: translated code calls the VMM to emulate a sensitive instruction without leaving the
 * hart. The runtime binds one for every strategy's module; it does nothing unless a profile was asked for.
 */
public interface VmmEntries {

    /**
     * Returns entries that are not recorded.
     *
     * @return the no-op instance
     */
    static VmmEntries none() {
        return (guestPc, instruction) -> {
        };
    }

    /**
     * Records a callout: translated code called the VMM to emulate one guest instruction.
     *
     * @param guestPc the guest's own address of the instruction
     * @param instruction the guest instruction's bits
     */
    void callout(long guestPc, int instruction);
}
