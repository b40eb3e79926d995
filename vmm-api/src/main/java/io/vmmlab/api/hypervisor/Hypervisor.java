package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;

import java.util.Optional;

/**
 * A virtual machine monitor: the strategy-specific code that owns the most privileged level while a guest runs.
 *
 * <p>The runtime builds the board, loads the guest, then calls {@link #start} once and {@link #handleExit} for
 * every exit of every hart, until an exit handler returns {@link ExitAction#STOP} or a limit is hit. Handlers
 * run on the thread that drives the hart, must not block, and must not throw for anything a guest can cause:
 * a misbehaving guest gets an architectural error (a trap, an SBI error code) or a
 * {@link GuestOutcome.Status#GUEST_FAILED} outcome.
 */
public interface Hypervisor {

    /**
     * Prepares the harts to run the loaded guest: privilege, registers, trap interception, and whatever
     * structures the strategy needs (shadow tables, G-stage tables, shared pages).
     *
     * @param machine the board
     * @param boot where the guest starts
     */
    void start(Machine machine, BootInfo boot);

    /**
     * Handles one exit of one hart.
     *
     * @param hart the hart that exited
     * @param exit why it exited; for {@link HartExit#TRAP}, {@link Hart#pendingTrap()} has the details
     * @return what the run loop does next
     */
    ExitAction handleExit(Hart hart, HartExit exit);

    /**
     * Tells whether a hart should run now. Harts the guest has not started yet (SBI hart state management) or
     * has stopped are not run; the run loop asks again after every round.
     *
     * @param hart the hart
     * @return true to run it
     */
    default boolean isRunnable(Hart hart) {
        return true;
    }

    /**
     * Returns the guest's own address of the instruction a hart ran at {@code pc}, for reports that say where in the
     * guest an exit came from (the exit profile). A VMM that runs guest code at other addresses (a binary
     * translator's translation cache) maps them back; the default is {@code pc} itself.
     *
     * @param hart the hart
     * @param pc the address the hart ran, such as {@link io.vmmlab.api.cpu.PendingTrap#pc()}
     * @return the guest's address of that instruction
     */
    default long guestPc(Hart hart, long pc) {
        return pc;
    }

    /**
     * Returns a CSR as the guest reads it, for tools that show the guest's state or read its memory at its virtual
     * addresses through its satp (the GDB stub). A VMM that keeps the guest's supervisor CSRs itself (trap-and-emulate,
     * shadow page tables) returns its copies; the default reads the hart's, an S-level CSR's VS counterpart while the
     * hart runs a guest in virtual mode (H extension).
     *
     * @param hart the hart
     * @param csr the CSR's number
     * @return its value as the guest would read it
     */
    default long guestCsr(Hart hart, int csr) {
        int counterpart = hart.virtualMode() ? CsrNumbers.virtualSupervisor(csr) : -1;
        return hart.readCsr(counterpart >= 0 ? counterpart : csr);
    }

    /**
     * Writes a CSR as the guest would see it written, for a debugger (the GDB stub's register writes). The default
     * writes the hart's own user-level and supervisor CSRs (in virtual mode a supervisor CSR's VS counterpart, and
     * only those that have one) and refuses the rest: read-only CSRs, and the hypervisor- and machine-level ones,
     * which belong to the VMM or its firmware. A VMM that keeps the guest's CSRs itself overrides it, or refuses.
     *
     * @param hart the hart, held by the debugger
     * @param csr the CSR's number
     * @param value the new value
     * @return false when the CSR cannot be written this way (nothing changed)
     */
    default boolean setGuestCsr(Hart hart, int csr, long value) {
        int level = (csr >>> 8) & 3;
        boolean readOnly = (csr >>> 10) == 3;
        if (readOnly || level > 1) {
            return false;
        }
        int target = csr;
        if (level == 1 && hart.virtualMode()) {
            target = CsrNumbers.virtualSupervisor(csr);
            if (target < 0) {
                return false;
            }
        }
        try {
            hart.writeCsr(target, value);
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false; // a CSR this hart does not have
        }
    }

    /**
     * Names a guest's ecall for reports (the exit profile), when the guest calls this VMM through an ABI of its own
     * (a paravirtual hypercall); the runtime names SBI extensions itself. The default names none.
     *
     * @param a7 the ecall's a7
     * @return such as {@code "hypercall mmu-update"}, or empty
     */
    default Optional<String> ecallName(long a7) {
        return Optional.empty();
    }
}
