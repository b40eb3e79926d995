package io.vmmlab.hwassist.vcpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * Puts a hart into the guest the way HS-mode software enters a VM (Priv. spec ch. 21): the guest's exceptions and
 * its three interrupts are delegated (medeleg/hedeleg, mideleg/hideleg) so that they are taken inside VS-mode
 * without an exit; hgatp selects the VMM's G-stage tables; hstatus.VTW makes WFI exit; counters (and the Sstc
 * comparator, when the ISA has it) are open to the guest; with F the HS-level FS is Initial, so that the guest's own
 * vsstatus.FS alone decides whether it may use floating point (the VMM keeps no floating-point state of its own, so
 * it never saves the guest's); the hart starts in VS-mode at the entry with
 * a0 = hart id and a1 = the argument, and traps to HS or M come to the VMM.
 */
public final class GuestEntry {
    /**
     * Exceptions the guest kernel handles itself: misaligned, access faults, illegal instruction, breakpoint,
     * ecall from VU, and page faults. Ecalls from VS (SBI), guest-page faults and virtual instructions exit.
     */
    public static final long GUEST_EXCEPTIONS = 1L << TrapCause.INSTRUCTION_ADDRESS_MISALIGNED
            | 1L << TrapCause.INSTRUCTION_ACCESS_FAULT | 1L << TrapCause.ILLEGAL_INSTRUCTION
            | 1L << TrapCause.BREAKPOINT | 1L << TrapCause.LOAD_ADDRESS_MISALIGNED
            | 1L << TrapCause.LOAD_ACCESS_FAULT | 1L << TrapCause.STORE_ADDRESS_MISALIGNED
            | 1L << TrapCause.STORE_ACCESS_FAULT | 1L << TrapCause.ECALL_FROM_USER
            | 1L << TrapCause.INSTRUCTION_PAGE_FAULT | 1L << TrapCause.LOAD_PAGE_FAULT
            | 1L << TrapCause.STORE_PAGE_FAULT;
    /** Exceptions that reach HS-mode (and so the VMM): the guest's, plus the VM exits. */
    private static final long HYPERVISOR_EXCEPTIONS = GUEST_EXCEPTIONS | 1L << TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR
            | 1L << TrapCause.INSTRUCTION_GUEST_PAGE_FAULT | 1L << TrapCause.LOAD_GUEST_PAGE_FAULT
            | 1L << TrapCause.VIRTUAL_INSTRUCTION | 1L << TrapCause.STORE_GUEST_PAGE_FAULT;
    /** The guest's software, timer and external interrupts, as VS-level interrupts. */
    public static final long GUEST_INTERRUPTS = IP_VSSIP | IP_VSTIP | IP_VSEIP;
    private static final int A0 = 10;
    private static final int A1 = 11;

    private final long hgatp;
    private final boolean sstc;

    /**
     * Creates the entry recipe.
     *
     * @param hgatp the G-stage root the guest runs on
     * @param sstc whether the harts have Sstc (the guest then programs vstimecmp itself)
     */
    public GuestEntry(long hgatp, boolean sstc) {
        this.hgatp = hgatp;
        this.sstc = sstc;
    }

    /**
     * Resets a hart and enters the guest at an address.
     *
     * @param hart the hart
     * @param entry the guest-physical entry point
     * @param argument a1 (the device tree for the boot hart, the opaque value for HSM starts)
     */
    public void enter(Hart hart, long entry, long argument) {
        hart.reset(entry);
        hart.writeCsr(MEDELEG, HYPERVISOR_EXCEPTIONS);
        hart.writeCsr(MIDELEG, IP_SSIP | IP_STIP | IP_SEIP);
        hart.writeCsr(HEDELEG, GUEST_EXCEPTIONS);
        hart.writeCsr(HIDELEG, GUEST_INTERRUPTS);
        hart.writeCsr(MCOUNTEREN, 0xffff_ffffL);
        hart.writeCsr(HCOUNTEREN, 0xffff_ffffL);
        if (sstc) {
            hart.setCsrBits(MENVCFG, ENVCFG_STCE);
            hart.setCsrBits(HENVCFG, ENVCFG_STCE);
        }
        hart.writeCsr(HGATP, hgatp);
        hart.writeCsr(HSTATUS, HSTATUS_VTW);
        hart.writeCsr(MIE, IP_SEIP);
        hart.writeCsr(HVIP, 0);
        if (hart.isa().has('f')) {
            // Priv. spec, H extension, vsstatus: with V=1 an Off mstatus.FS makes every FP instruction illegal.
            hart.setCsrBits(MSTATUS, STATUS_FS_INITIAL);
        }
        hart.setRegister(A0, hart.hartId());
        hart.setRegister(A1, argument);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        hart.setTrapInterception(TrapInterception.HYPERVISOR);
    }
}
