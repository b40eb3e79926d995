package io.vmmlab.api.sbi;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;

/**
 * How M-mode firmware hands a hart to an S-mode kernel (what OpenSBI does before jumping to Linux), for strategies
 * that run the kernel on the board's own S-mode and answer its SBI calls in Java: the native strategy and any
 * strategy built like it.
 */
public final class SupervisorEntry {
    /** Exceptions the firmware hands to the kernel: everything but ecalls from S, VS and M (as OpenSBI, plus more). */
    public static final long DELEGATED_EXCEPTIONS = 0xffff_ffffL & ~(1L << TrapCause.ECALL_FROM_SUPERVISOR)
            & ~(1L << TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR) & ~(1L << TrapCause.ECALL_FROM_MACHINE)
            & ~(0xffL << 16);
    /** Interrupts the firmware hands to the kernel: supervisor software, timer and external. */
    public static final long DELEGATED_INTERRUPTS = (1L << 1) | (1L << 5) | (1L << 9);
    private static final long MENVCFG_STCE = 1L << 63;
    private static final int A0 = 10;

    private SupervisorEntry() {
    }

    /**
     * Puts a hart where firmware leaves a kernel: S-mode at {@code entry} with a0 = hart id and a1 = argument (the
     * device tree's address for the boot hart, the HSM opaque value for the others), translation off, exceptions and
     * supervisor interrupts delegated, the counters open to S-mode (and Sstc's {@code stimecmp}, when the hart has
     * it), and traps that still reach M-mode (SBI ecalls, machine timer interrupts) returned to the strategy as
     * {@link io.vmmlab.api.cpu.HartExit#TRAP} exits.
     *
     * @param hart the hart
     * @param entry the kernel's entry point
     * @param argument the value for a1
     * @param sstc whether to open {@code stimecmp} to S-mode (menvcfg.STCE); the hart must implement Sstc
     */
    public static void enter(Hart hart, long entry, long argument, boolean sstc) {
        hart.reset(entry);
        hart.writeCsr(CsrNumbers.MEDELEG, DELEGATED_EXCEPTIONS);
        hart.writeCsr(CsrNumbers.MIDELEG, DELEGATED_INTERRUPTS);
        hart.writeCsr(CsrNumbers.MCOUNTEREN, 0xffff_ffffL);
        if (sstc) {
            hart.writeCsr(CsrNumbers.MENVCFG, hart.readCsr(CsrNumbers.MENVCFG) | MENVCFG_STCE);
        }
        hart.setRegister(A0, hart.hartId());
        hart.setRegister(A0 + 1, argument);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);
        hart.setTrapInterception(TrapInterception.MACHINE);
    }
}
