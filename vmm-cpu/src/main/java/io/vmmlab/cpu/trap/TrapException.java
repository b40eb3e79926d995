package io.vmmlab.cpu.trap;

/**
 * A synchronous exception on its way from the instruction that raised it to the {@link TrapUnit}.
 *
 * <p>Each hart owns one instance and reuses it; it carries no stack trace, so raising it costs no allocation.
 * It never escapes the hart.
 */
public final class TrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private long cause;
    private long tval;
    private long tval2;
    private long tinst;
    private boolean guestVirtualAddress;

    /** Creates the hart's reusable instance. */
    public TrapException() {
        super(null, null, false, false);
    }

    /**
     * Fills the exception for a new trap.
     *
     * @param cause exception code (Privileged spec, "mcause" table)
     * @param tval the faulting address or instruction bits
     * @return this, for {@code throw trap.raise(...)}
     */
    public TrapException raise(long cause, long tval) {
        return raise(cause, tval, 0, 0);
    }

    /**
     * Fills the exception for a new trap, with the H extension's second trap value and transformed instruction.
     *
     * @param cause exception code
     * @param tval the faulting address or instruction bits
     * @param tval2 guest-physical address shifted right by 2, for guest-page faults
     * @param tinst transformed instruction, or 0
     * @return this
     */
    public TrapException raise(long cause, long tval, long tval2, long tinst) {
        this.cause = cause;
        this.tval = tval;
        this.tval2 = tval2;
        this.tinst = tinst;
        this.guestVirtualAddress = false;
        return this;
    }

    /**
     * Marks the trap as raised by a hypervisor virtual-machine load or store (HLV, HLVX, HSV), whose xtval is a
     * guest-virtual address even though V=0, so the trap sets hstatus.GVA / mstatus.GVA.
     *
     * @param transformed the htinst/mtinst value, used when the trap has none yet
     * @return this
     */
    public TrapException fromVirtualMachineAccess(long transformed) {
        this.guestVirtualAddress = true;
        if (tinst == 0) {
            tinst = transformed;
        }
        return this;
    }

    /** Tells whether xtval holds a guest-virtual address although the hart is not in V=1 (HLV/HSV). */
    public boolean guestVirtualAddress() {
        return guestVirtualAddress;
    }

    /** Returns the exception code. */
    public long cause() {
        return cause;
    }

    /** Returns the trap value. */
    public long tval() {
        return tval;
    }

    /** Returns the second trap value (guest-physical address >> 2). */
    public long tval2() {
        return tval2;
    }

    /** Returns the transformed instruction. */
    public long tinst() {
        return tinst;
    }
}
