package io.vmmlab.cpu.csr;

import io.vmmlab.cpu.rv64.HartState;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * The F extension's CSRs ({@code fflags}, {@code frm}, {@code fcsr}: unprivileged volume, F extension,
 * "Floating-Point Control and Status Register") and the floating-point context status that guards them and the f
 * registers ({@code mstatus.FS}, the {@code sstatus} view, and with V=1 {@code vsstatus.FS}: Privileged spec,
 * "Extension Context Status in mstatus Register" and the H extension's "Virtual Supervisor Status Register").
 *
 * <p>Exists only on harts with F. With V=1 both {@code mstatus.FS} (the HS-level {@code sstatus.FS}) and
 * {@code vsstatus.FS} are in effect: either one Off makes every floating-point instruction and these CSRs illegal
 * (an illegal-instruction exception, never a virtual-instruction one), and a change of the state sets both to Dirty.
 *
 * <p>Dirty policy (the spec allows setting Dirty conservatively): every instruction that writes an f register (even
 * with the value it held), that raises any exception flag (even one already set), and every CSR write to
 * {@code fflags}, {@code frm} or {@code fcsr} sets FS to Dirty; instructions that only read f registers (FSW, FSD,
 * FMV.X.W, FCLASS, comparisons and conversions to integers that raise no flag) and CSR reads leave it.
 */
public final class FloatCsrs {
    private static final int FFLAGS_MASK = 0x1f;
    private static final int FRM_MASK = 0x7;

    private final CsrFile csrs;
    private final HypervisorCsrs hypervisor;
    private final HartState state;
    /** Accrued exception flags (NV DZ OF UF NX, bits 4..0). */
    public int fflags;
    /** Dynamic rounding mode (3 bits; 5 to 7 are stored as written and make dynamic-rounding instructions illegal). */
    public int frm;

    FloatCsrs(CsrFile csrs, HypervisorCsrs hypervisor, HartState state) {
        this.csrs = csrs;
        this.hypervisor = hypervisor;
        this.state = state;
    }

    /**
     * Tells whether floating-point instructions and CSRs may run now: FS is not Off in {@code mstatus} and, with
     * V=1, not in {@code vsstatus} either.
     *
     * @return true when enabled
     */
    public boolean enabled() {
        if ((csrs.mstatus & STATUS_FS) == 0) {
            return false;
        }
        return !state.virtual || (hypervisor.vsstatus & STATUS_FS) != 0;
    }

    /** Records a change of the floating-point state: FS = Dirty (with V=1 in vsstatus too). */
    public void markDirty() {
        long mstatus = csrs.mstatus;
        if ((mstatus & STATUS_FS) != STATUS_FS) { // already Dirty in FP-heavy code: no write
            csrs.mstatus = mstatus | STATUS_FS;
        }
        if (state.virtual) {
            hypervisor.vsstatus |= STATUS_FS;
        }
    }

    /**
     * Accrues exception flags raised by an instruction; any flag marks the state Dirty.
     *
     * @param raised the flags, {@code FpFlags} bits
     */
    public void accrue(int raised) {
        if (raised != 0) {
            fflags |= raised & FFLAGS_MASK;
            markDirty();
        }
    }

    static boolean isFloatCsr(int csr) {
        return csr >= FFLAGS && csr <= FCSR;
    }

    long read(int csr) {
        return switch (csr) {
            case FFLAGS -> fflags;
            case FRM -> frm;
            default -> frm << 5 | fflags;
        };
    }

    void write(int csr, long value) {
        switch (csr) {
            case FFLAGS -> fflags = (int) value & FFLAGS_MASK;
            case FRM -> frm = (int) value & FRM_MASK;
            default -> {
                fflags = (int) value & FFLAGS_MASK;
                frm = (int) (value >>> 5) & FRM_MASK;
            }
        }
        markDirty();
    }

    void reset() {
        fflags = 0;
        frm = 0;
    }
}
