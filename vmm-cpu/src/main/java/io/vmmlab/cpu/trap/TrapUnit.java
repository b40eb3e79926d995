package io.vmmlab.cpu.trap;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.cpu.csr.CsrFile;
import io.vmmlab.cpu.csr.HypervisorCsrs;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.rv64.HartState;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * Takes traps and returns from them (Privileged spec, "Machine Trap Delegation Registers", "Machine Trap-Vector
 * Base-Address Register", "Trap Return Instructions", "Machine Interrupt Registers" for priorities, and the H
 * extension's "Traps" section for HS/VS targets).
 *
 * <p>Target levels are {@link #MACHINE}, {@link #HYPERVISOR} (HS-mode, or S-mode without H) and
 * {@link #VIRTUAL_SUPERVISOR}. Interrupts are chosen by the priority order MEI, MSI, MTI, SEI, SSI, STI, SGEI,
 * VSEI, VSSI, VSTI, among those pending, enabled in {@code mie}, and globally enabled for their target.
 */
public final class TrapUnit {
    public static final int MACHINE = 3;
    public static final int HYPERVISOR = 1;
    public static final int VIRTUAL_SUPERVISOR = 5;
    /** Returned by {@link #pendingInterrupt()} when nothing should be taken. */
    public static final long NO_INTERRUPT = 0;

    private static final int[] PRIORITY = {11, 3, 7, 9, 1, 5, 12, 10, 2, 6};
    private static final long GUEST_VIRTUAL_ADDRESS_CAUSES = 1L << 0 | 1L << 1 | 1L << 3 | 1L << 4 | 1L << 5
            | 1L << 6 | 1L << 7 | 1L << 12 | 1L << 13 | 1L << 15 | 1L << 20 | 1L << 21 | 1L << 23;

    private static final long DATA_ACCESS_CAUSES = 1L << 4 | 1L << 5 | 1L << 6 | 1L << 7 | 1L << 13 | 1L << 15
            | 1L << 21 | 1L << 23;

    private final HartState state;
    private final CsrFile csrs;
    private final HypervisorCsrs hypervisor;
    private final InterruptState interrupts;
    private final Mmu mmu;
    private final Counters counters;
    private final boolean hasHypervisor;
    private final Counter[] exceptionCounters = new Counter[64];
    private final Counter[] interruptCounters = new Counter[64];

    /**
     * Wires the trap unit.
     *
     * @param state registers and privilege
     * @param csrs the CSR file
     * @param interrupts mip/mie
     * @param mmu told when privilege changes
     * @param counters where taken traps are counted
     */
    public TrapUnit(HartState state, CsrFile csrs, InterruptState interrupts, Mmu mmu, Counters counters) {
        this.state = state;
        this.csrs = csrs;
        this.hypervisor = csrs.hypervisor();
        this.interrupts = interrupts;
        this.mmu = mmu;
        this.counters = counters;
        this.hasHypervisor = csrs.hasHypervisor();
    }

    private long effectiveMideleg() {
        return csrs.mideleg | (hasHypervisor ? IP_VIRTUAL_SUPERVISOR | IP_SGEIP : 0);
    }

    /**
     * Returns the level a synchronous exception goes to from the current mode, after delegation.
     *
     * @param code exception code
     * @return {@link #MACHINE}, {@link #HYPERVISOR} or {@link #VIRTUAL_SUPERVISOR}
     */
    public int exceptionTarget(int code) {
        if (state.mode == HartState.MACHINE || ((csrs.medeleg >>> code) & 1) == 0) {
            return MACHINE;
        }
        if (state.virtual && ((hypervisor.hedeleg >>> code) & 1) != 0) {
            return VIRTUAL_SUPERVISOR;
        }
        return HYPERVISOR;
    }

    /**
     * Returns the level an interrupt goes to, after delegation.
     *
     * @param code interrupt code
     * @return the target level
     */
    public int interruptTarget(int code) {
        if (((effectiveMideleg() >>> code) & 1) == 0) {
            return MACHINE;
        }
        if (hasHypervisor && ((hypervisor.hideleg >>> code) & 1) != 0) {
            return VIRTUAL_SUPERVISOR;
        }
        return HYPERVISOR;
    }

    /**
     * Chooses the interrupt to take now, if any.
     *
     * @return the xcause value (interrupt bit set), or {@link #NO_INTERRUPT}
     */
    public long pendingInterrupt() {
        long pending = interrupts.pending() & interrupts.enabled;
        if (pending == 0) {
            return NO_INTERRUPT;
        }
        int mode = state.mode;
        boolean virtual = state.virtual;
        long mstatus = csrs.mstatus;
        long mideleg = effectiveMideleg();
        long machine = pending & ~mideleg;
        if (machine != 0 && (mode < HartState.MACHINE || (mstatus & STATUS_MIE) != 0)) {
            return highest(machine);
        }
        long hideleg = hasHypervisor ? hypervisor.hideleg : 0;
        long supervisor = pending & mideleg & ~hideleg;
        boolean supervisorEnabled = mode < HartState.MACHINE
                && (virtual || mode == HartState.USER || (mstatus & STATUS_SIE) != 0);
        if (supervisor != 0 && supervisorEnabled) {
            return highest(supervisor);
        }
        long guest = pending & mideleg & hideleg;
        if (guest != 0 && virtual && (mode == HartState.USER || (hypervisor.vsstatus & STATUS_SIE) != 0)) {
            return highest(guest);
        }
        return NO_INTERRUPT;
    }

    private static long highest(long set) {
        for (int code : PRIORITY) {
            if (((set >>> code) & 1) != 0) {
                return TrapCause.INTERRUPT_BIT | code;
            }
        }
        return TrapCause.INTERRUPT_BIT | Long.numberOfTrailingZeros(set);
    }

    /**
     * Takes a trap architecturally, applying delegation.
     *
     * @param cause xcause
     * @param tval xtval
     * @param tval2 htval/mtval2
     * @param tinst htinst/mtinst
     */
    public void take(long cause, long tval, long tval2, long tinst) {
        int code = (int) (cause & 63);
        int target = cause < 0 ? interruptTarget(code) : exceptionTarget(code);
        take(target, cause, tval, tval2, tinst);
    }

    /**
     * Takes a trap to a given level.
     *
     * @param target the level, as returned by the target methods
     * @param cause xcause
     * @param tval xtval
     * @param tval2 htval/mtval2
     * @param tinst htinst/mtinst
     */
    public void take(int target, long cause, long tval, long tval2, long tinst) {
        take(target, cause, tval, tval2, tinst, false);
    }

    /**
     * Takes a trap to a given level.
     *
     * @param target the level, as returned by the target methods
     * @param cause xcause
     * @param tval xtval
     * @param tval2 htval/mtval2
     * @param tinst htinst/mtinst
     * @param virtualMachineAccess the trap comes from HLV/HLVX/HSV, so xtval is a guest-virtual address (GVA=1)
     */
    public void take(int target, long cause, long tval, long tval2, long tinst, boolean virtualMachineAccess) {
        boolean interrupt = cause < 0;
        int code = (int) (cause & 63);
        count(interrupt, code);
        long pc = state.pc;
        int mode = state.mode;
        boolean virtual = state.virtual;
        boolean guestAddress = !interrupt && (virtualMachineAccess
                || ((virtual || virtualDataAccess(code)) && ((GUEST_VIRTUAL_ADDRESS_CAUSES >>> code) & 1) != 0));
        if (target == MACHINE) {
            csrs.mepc = pc;
            csrs.mcause = cause;
            csrs.mtval = tval;
            hypervisor.mtval2 = tval2;
            hypervisor.mtinst = tinst;
            long mstatus = csrs.mstatus;
            mstatus = (mstatus & ~STATUS_MPIE) | ((mstatus & STATUS_MIE) != 0 ? STATUS_MPIE : 0);
            mstatus = (mstatus & ~(STATUS_MIE | STATUS_MPP)) | ((long) mode << STATUS_MPP_SHIFT);
            if (hasHypervisor) {
                mstatus = (mstatus & ~(STATUS_MPV | STATUS_GVA)) | (virtual ? STATUS_MPV : 0)
                        | (guestAddress ? STATUS_GVA : 0);
            }
            csrs.mstatus = mstatus;
            state.mode = HartState.MACHINE;
            state.virtual = false;
            state.pc = vector(csrs.mtvec, interrupt, code);
        } else if (target == HYPERVISOR) {
            csrs.sepc = pc;
            csrs.scause = cause;
            csrs.stval = tval;
            hypervisor.htval = tval2;
            hypervisor.htinst = tinst;
            csrs.mstatus = enterSupervisor(csrs.mstatus, mode);
            if (hasHypervisor) {
                long hstatus = hypervisor.hstatus & ~(HSTATUS_SPV | HSTATUS_GVA);
                hstatus |= (virtual ? HSTATUS_SPV : 0) | (guestAddress ? HSTATUS_GVA : 0);
                if (virtual) {
                    hstatus = (hstatus & ~HSTATUS_SPVP) | (mode == HartState.SUPERVISOR ? HSTATUS_SPVP : 0);
                }
                hypervisor.hstatus = hstatus;
            }
            state.mode = HartState.SUPERVISOR;
            state.virtual = false;
            state.pc = vector(csrs.stvec, interrupt, code);
        } else {
            long guestCause = interrupt ? TrapCause.INTERRUPT_BIT | (code - 1) : cause;
            hypervisor.vsepc = pc;
            hypervisor.vscause = guestCause;
            hypervisor.vstval = tval;
            hypervisor.vsstatus = enterSupervisor(hypervisor.vsstatus, mode);
            state.mode = HartState.SUPERVISOR;
            state.pc = vector(hypervisor.vstvec, interrupt, interrupt ? code - 1 : code);
        }
        mmu.updateContext();
    }

    /** Tells whether a load/store fault came from an M-mode access made as V=1 through MPRV with MPV. */
    private boolean virtualDataAccess(int code) {
        long mstatus = csrs.mstatus;
        return hasHypervisor && state.mode == HartState.MACHINE && ((DATA_ACCESS_CAUSES >>> code) & 1) != 0
                && (mstatus & STATUS_MPRV) != 0 && (mstatus & STATUS_MPV) != 0
                && ((mstatus & STATUS_MPP) >>> STATUS_MPP_SHIFT) != HartState.MACHINE;
    }

    private static long enterSupervisor(long status, int mode) {
        long next = (status & ~STATUS_SPIE) | ((status & STATUS_SIE) != 0 ? STATUS_SPIE : 0);
        next &= ~(STATUS_SIE | STATUS_SPP);
        return next | (mode == HartState.USER ? 0 : STATUS_SPP);
    }

    private static long vector(long tvec, boolean interrupt, int code) {
        long base = tvec & ~3L;
        return interrupt && (tvec & 1) != 0 ? base + 4L * code : base;
    }

    private void count(boolean interrupt, int code) {
        Counter[] table = interrupt ? interruptCounters : exceptionCounters;
        Counter counter = table[code];
        if (counter == null) {
            String reason = interrupt ? TrapCause.interruptName(code) : TrapCause.exceptionName(code);
            counter = counters.counter("trap", reason, CostCategory.GUEST_TRAP);
            table[code] = counter;
        }
        counter.increment();
    }

    /** MRET (Privileged spec, "Trap-Return Instructions"); the caller has checked the privilege. */
    public void machineReturn() {
        long mstatus = csrs.mstatus;
        int previous = (int) ((mstatus & STATUS_MPP) >>> STATUS_MPP_SHIFT);
        boolean previousVirtual = hasHypervisor && previous != HartState.MACHINE && (mstatus & STATUS_MPV) != 0;
        mstatus = (mstatus & ~STATUS_MIE) | ((mstatus & STATUS_MPIE) != 0 ? STATUS_MIE : 0);
        mstatus = (mstatus | STATUS_MPIE) & ~STATUS_MPP & ~STATUS_MPV;
        if (previous != HartState.MACHINE) {
            mstatus &= ~STATUS_MPRV;
        }
        csrs.mstatus = mstatus;
        state.mode = previous;
        state.virtual = previousVirtual;
        state.pc = csrs.mepc & csrs.epcMask();
        mmu.updateContext();
    }

    /** SRET from HS-mode or M-mode; the caller has checked TSR. */
    public void supervisorReturn() {
        long mstatus = csrs.mstatus;
        int previous = (mstatus & STATUS_SPP) != 0 ? HartState.SUPERVISOR : HartState.USER;
        mstatus = (mstatus & ~STATUS_SIE) | ((mstatus & STATUS_SPIE) != 0 ? STATUS_SIE : 0);
        mstatus = (mstatus | STATUS_SPIE) & ~STATUS_SPP & ~STATUS_MPRV;
        csrs.mstatus = mstatus;
        boolean previousVirtual = false;
        if (hasHypervisor) {
            previousVirtual = (hypervisor.hstatus & HSTATUS_SPV) != 0;
            hypervisor.hstatus &= ~HSTATUS_SPV;
        }
        state.mode = previous;
        state.virtual = previousVirtual;
        state.pc = csrs.sepc & csrs.epcMask();
        mmu.updateContext();
    }

    /** SRET from VS-mode: returns within the guest using vsstatus and vsepc. */
    public void virtualSupervisorReturn() {
        long vsstatus = hypervisor.vsstatus;
        int previous = (vsstatus & STATUS_SPP) != 0 ? HartState.SUPERVISOR : HartState.USER;
        vsstatus = (vsstatus & ~STATUS_SIE) | ((vsstatus & STATUS_SPIE) != 0 ? STATUS_SIE : 0);
        hypervisor.vsstatus = (vsstatus | STATUS_SPIE) & ~STATUS_SPP;
        state.mode = previous;
        state.pc = hypervisor.vsepc & csrs.epcMask();
        mmu.updateContext();
    }
}
