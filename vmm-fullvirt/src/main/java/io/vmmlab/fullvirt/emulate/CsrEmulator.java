package io.vmmlab.fullvirt.emulate;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.fullvirt.vcpu.HostHartBinding;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;
import io.vmmlab.fullvirt.vcpu.VirtualTimer;

/**
 * Reads and writes the guest's supervisor CSRs on its virtual state, with the WARL rules of the Privileged spec
 * ("Supervisor CSRs"). {@code stimecmp} exists only when the harts offer Sstc; it is virtualized on the real CLINT.
 * The user counters read through to the real hart.
 */
public final class CsrEmulator {
    private static final int CYCLE = 0xc00;
    private static final int INSTRET = 0xc02;

    private final VirtualTimer timer;
    private final boolean sstc;

    /**
     * Creates the emulator.
     *
     * @param timer the virtual timer behind stimecmp
     * @param sstc whether the guest sees Sstc
     */
    public CsrEmulator(VirtualTimer timer, boolean sstc) {
        this.timer = timer;
        this.sstc = sstc;
    }

    /**
     * Tells whether the guest kernel may access a CSR.
     *
     * @param csr the CSR number
     * @return true for the emulated supervisor CSRs and the user counters
     */
    public boolean exists(int csr) {
        return switch (csr) {
            case CsrNumbers.SSTATUS, CsrNumbers.SIE, CsrNumbers.STVEC, CsrNumbers.SCOUNTEREN, CsrNumbers.SENVCFG,
                    CsrNumbers.SSCRATCH, CsrNumbers.SEPC, CsrNumbers.SCAUSE, CsrNumbers.STVAL, CsrNumbers.SIP,
                    CsrNumbers.SATP -> true;
            case CsrNumbers.STIMECMP -> sstc;
            default -> csr >= CYCLE && csr <= INSTRET;
        };
    }

    /**
     * Tells whether a CSR is read-only.
     *
     * @param csr the CSR number
     * @return true for CSRs whose number marks them read-only
     */
    public static boolean readOnly(int csr) {
        return (csr >>> 10) == 3;
    }

    /**
     * Reads a CSR.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     * @param csr a CSR for which {@link #exists} is true
     * @param externalPending whether the real external interrupt line is raised
     * @return the value
     */
    public long read(Hart hart, VirtualSupervisorState state, int csr, boolean externalPending) {
        return switch (csr) {
            case CsrNumbers.SSTATUS -> {
                HostHartBinding.takeFloatingPointStatus(hart, state); // a Dirty FS the hart set since binding
                yield state.sstatus();
            }
            case CsrNumbers.SIE -> state.sie();
            case CsrNumbers.STVEC -> state.stvec();
            case CsrNumbers.SCOUNTEREN -> state.scounteren();
            case CsrNumbers.SENVCFG -> state.senvcfg();
            case CsrNumbers.SSCRATCH -> state.sscratch();
            case CsrNumbers.SEPC -> state.sepc();
            case CsrNumbers.SCAUSE -> state.scause();
            case CsrNumbers.STVAL -> state.stval();
            case CsrNumbers.SIP -> state.pending() | (externalPending ? VirtualSupervisorState.IP_SEIP : 0);
            case CsrNumbers.SATP -> state.satp();
            case CsrNumbers.STIMECMP -> state.stimecmp();
            default -> hart.readCsr(csr);
        };
    }

    /**
     * Writes a CSR.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     * @param csr a writable CSR for which {@link #exists} is true
     * @param value the value
     */
    public void write(Hart hart, VirtualSupervisorState state, int csr, long value) {
        switch (csr) {
            case CsrNumbers.SSTATUS -> state.setSstatus(value);
            case CsrNumbers.SIE -> state.setSie(value);
            case CsrNumbers.STVEC -> state.setStvec(value);
            case CsrNumbers.SCOUNTEREN -> state.setScounteren(value);
            case CsrNumbers.SENVCFG -> state.setSenvcfg(value);
            case CsrNumbers.SSCRATCH -> state.setSscratch(value);
            case CsrNumbers.SEPC -> state.setSepc(value);
            case CsrNumbers.SCAUSE -> state.setScause(value);
            case CsrNumbers.STVAL -> state.setStval(value);
            case CsrNumbers.SIP -> state.setPending((state.pending() & ~VirtualSupervisorState.IP_SSIP)
                    | (value & VirtualSupervisorState.IP_SSIP));
            case CsrNumbers.SATP -> state.setSatp(value);
            case CsrNumbers.STIMECMP -> {
                state.setStimecmp(value);
                timer.arm(hart, state, value);
            }
            default -> {
                // The user counters are read-only; callers check readOnly() first.
            }
        }
    }
}
