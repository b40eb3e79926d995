package io.vmmlab.api.cpu;

/**
 * A trap the hart handed to its host instead of taking it (see {@link HartExit#TRAP}).
 *
 * @param cause the {@code xcause} value: exception code, with bit 63 set for interrupts
 * @param tval the value {@code xtval} would receive (faulting address or instruction bits)
 * @param tval2 the value {@code mtval2}/{@code htval} would receive (guest-physical address shifted right by 2),
 *              or 0
 * @param tinst the value {@code mtinst}/{@code htinst} would receive, or 0
 * @param pc the pc of the trapping instruction (or of the next instruction, for interrupts)
 * @param fromMode the privilege level the hart was in
 * @param fromVirtual whether the hart was in a virtualized mode (V=1)
 */
public record PendingTrap(long cause, long tval, long tval2, long tinst, long pc, PrivilegeMode fromMode,
                          boolean fromVirtual) {

    /**
     * Tells whether this is an interrupt rather than a synchronous exception.
     *
     * @return true for interrupts
     */
    public boolean isInterrupt() {
        return cause < 0;
    }

    /**
     * Returns the exception or interrupt code without the interrupt bit.
     *
     * @return the code
     */
    public int code() {
        return (int) (cause & 0x7fff_ffff_ffff_ffffL);
    }
}
