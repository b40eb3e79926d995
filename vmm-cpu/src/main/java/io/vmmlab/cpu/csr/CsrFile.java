package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.InterruptState;
import io.vmmlab.cpu.trap.TrapException;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * The machine- and supervisor-level CSRs, and the access rules of every CSR (Privileged spec, sections
 * "CSR Address Mapping Conventions", "Machine-Level CSRs", "Supervisor-Level CSRs"; H extension chapter for the
 * VS aliasing). Counters, PMP and H-extension registers live in their own classes; this class checks access and
 * dispatches.
 *
 * <p>WARL choices: {@code misa} is read-only (writes are ignored) and reflects the ISA plus S and U;
 * {@code satp}/{@code vsatp}/{@code hgatp} ignore writes of unsupported modes (Bare, and Sv39 up to the hart's
 * {@link AddressTranslation}, Sv57 by default; the x4 variants in hgatp); {@code mtvec}/{@code stvec} keep modes 0
 * and 1 only; {@code mstatus.MPP} ignores the reserved value 2; VS and XS are hardwired to zero (no V), and so is FS
 * without the F extension; with it, FS is writable (all four values) in {@code mstatus}, {@code sstatus} and {@code vsstatus}, SD reads as FS = Dirty, and
 * {@link FloatCsrs} holds {@code fflags}/{@code frm}/{@code fcsr}. Sstc is implemented when the ISA names it. The
 * debug trigger registers exist as stubs: {@code tselect} and {@code tdata1..3} read zero ("no triggers"), so
 * software that probes them finds nothing to use.
 */
public final class CsrFile {
    private static final long MSTATUS_WRITABLE = STATUS_SIE | STATUS_MIE | STATUS_SPIE | STATUS_MPIE | STATUS_SPP
            | STATUS_MPP | STATUS_MPRV | STATUS_SUM | STATUS_MXR | STATUS_TVM | STATUS_TW | STATUS_TSR;
    private static final long SSTATUS_WRITABLE = STATUS_SIE | STATUS_SPIE | STATUS_SPP | STATUS_SUM | STATUS_MXR;
    private static final long SSTATUS_READABLE = SSTATUS_WRITABLE | STATUS_UBE | STATUS_VS | STATUS_FS | STATUS_XS
            | STATUS_UXL | STATUS_SD;
    private static final long MIE_WRITABLE = IP_SSIP | IP_MSIP | IP_STIP | IP_MTIP | IP_SEIP | IP_MEIP;
    private static final long MEDELEG_WRITABLE = 0xb3ffL & ~(1L << TrapCause.ECALL_FROM_MACHINE)
            & ~(1L << TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR);
    private static final long MEDELEG_HYPERVISOR = 1L << TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR | 0xf00000L;

    private final HartState state;
    private final InterruptState interrupts;
    private final CounterCsrs counters;
    private final PmpCsrs pmp = new PmpCsrs();
    private final HypervisorCsrs hypervisor;
    private final AddressTranslation virtualMemory;
    private final TranslationListener translation;
    private final TimeSource time;
    private final TrapException trap;
    private final boolean hasHypervisor;
    /** The F extension's CSRs, or null without F. */
    private final FloatCsrs floats;
    private final long mstatusWritable;
    private final long sstatusWritable;
    private final long misa;
    /** Whether the ISA has Sstc: without it stimecmp/vstimecmp do not exist and menvcfg.STCE reads zero. */
    private final boolean hasSstc;
    private final long epcMask;
    private final int hartId;

    public long mstatus;
    public long medeleg;
    public long mideleg;
    public long mtvec;
    public long mcounteren;
    public long menvcfg;
    public long mscratch;
    public long mepc;
    public long mcause;
    public long mtval;
    public long stvec;
    public long scounteren;
    public long senvcfg;
    public long sscratch;
    public long sepc;
    public long scause;
    public long stval;
    public long satp;

    /**
     * Wires the CSR file.
     *
     * @param hartId mhartid
     * @param isa the implemented extensions
     * @param state registers and privilege
     * @param interrupts mip/mie state
     * @param time the platform time
     * @param translation the MMU, told about translation changes
     * @param trap the hart's reusable trap
     */
    public CsrFile(int hartId, IsaSpec isa, AddressTranslation virtualMemory, HartState state,
                   InterruptState interrupts, TimeSource time, TranslationListener translation, TrapException trap) {
        this.hartId = hartId;
        this.state = state;
        this.interrupts = interrupts;
        this.time = time;
        this.translation = translation;
        this.trap = trap;
        this.counters = new CounterCsrs(state);
        this.hasHypervisor = isa.has('h');
        this.hasSstc = isa.has("sstc");
        boolean hasFloat = isa.has('f');
        this.virtualMemory = virtualMemory;
        this.hypervisor = new HypervisorCsrs(interrupts, translation, hasFloat, virtualMemory);
        this.floats = hasFloat ? new FloatCsrs(this, hypervisor, state) : null;
        long floatStatus = hasFloat ? STATUS_FS : 0;
        this.mstatusWritable = MSTATUS_WRITABLE | floatStatus | (hasHypervisor ? STATUS_MPV | STATUS_GVA : 0);
        this.sstatusWritable = SSTATUS_WRITABLE | floatStatus;
        this.misa = 2L << 62 | isa.misaExtensions() | 1L << ('s' - 'a') | 1L << ('u' - 'a');
        this.epcMask = isa.has('c') ? ~1L : ~3L;
    }

    /** Returns the PMP registers. */
    public PmpCsrs pmp() {
        return pmp;
    }

    /** Returns the H-extension registers (present but unreachable by software without 'h'). */
    public HypervisorCsrs hypervisor() {
        return hypervisor;
    }

    /** Returns the F extension's CSRs and context status, or null when the hart has no F. */
    public FloatCsrs floats() {
        return floats;
    }

    /** Returns the counters. */
    public CounterCsrs counters() {
        return counters;
    }

    /** Tells whether the H extension is present. */
    public boolean hasHypervisor() {
        return hasHypervisor;
    }

    /** Returns the mask applied to xepc on reads: IALIGN=16 with C, 32 without. */
    public long epcMask() {
        return epcMask;
    }

    /**
     * Reads a CSR for a CSR instruction, after the access checks.
     *
     * @param csr the CSR number
     * @param bits the instruction, for the illegal-instruction trap value
     * @return the value
     */
    public long read(int csr, int bits) {
        int resolved = checkAccess(csr, false, bits);
        return readChecked(resolved, bits);
    }

    /**
     * Returns the value a CSRRS/CSRRC (and their immediate forms) combines with its operand before writing it back.
     * It is the value read, except for {@code mip.SEIP}: only the software-writable bit takes part in the
     * read-modify-write, never the PLIC's signal (Privileged spec, "Machine Interrupt Registers": "the signal from the
     * interrupt controller is not used to calculate the value written to SEIP"). Otherwise a {@code csrs mip, SSIP}
     * that M-mode firmware runs while the PLIC asserts the hart's S-mode line latches SEIP in software, and S-mode
     * takes external interrupts that no claim can clear.
     *
     * @param csr the CSR number, as the instruction names it (already read, so access was checked)
     * @param read the value the instruction read
     * @return the value to modify
     */
    public long readModifyWriteBase(int csr, long read) {
        if (csr == MIP) {
            return (read & ~IP_SEIP) | (interrupts.software & IP_SEIP);
        }
        return read;
    }

    /**
     * Writes a CSR for a CSR instruction, after the access checks.
     *
     * @param csr the CSR number
     * @param value the value
     * @param bits the instruction, for the illegal-instruction trap value
     */
    public void write(int csr, long value, int bits) {
        int resolved = checkAccess(csr, true, bits);
        try {
            writeDirect(resolved, value);
        } catch (IllegalArgumentException missing) {
            throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
        }
    }

    private long readChecked(int csr, int bits) {
        try {
            return readDirect(csr);
        } catch (IllegalArgumentException missing) {
            throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
        }
    }

    private int checkAccess(int csr, boolean writing, int bits) {
        int level = (csr >>> 8) & 3;
        int mode = state.mode;
        boolean virtual = state.virtual;
        if (writing && (csr >>> 10) == 3) {
            throw illegal(bits);
        }
        if (level == 3 && mode != HartState.MACHINE) {
            throw illegal(bits);
        }
        if (level == 2 && !hasHypervisor) {
            throw illegal(bits);
        }
        if ((level == 2 && virtual) || (level == 1 && virtual && mode == HartState.USER)) {
            // VS/VU reaching for a register HS-mode could use: virtual instruction (H extension).
            throw trap.raise(TrapCause.VIRTUAL_INSTRUCTION, bits & 0xffff_ffffL);
        }
        if ((level == 1 || level == 2) && mode < HartState.SUPERVISOR) {
            throw illegal(bits);
        }
        if (level == 0 && csr >= CYCLE && csr <= HPMCOUNTER31) {
            checkCounter(csr & 31, bits);
        }
        if ((csr == STIMECMP || csr == VSTIMECMP) && !hasSstc) {
            throw illegal(bits);
        }
        if (csr == STIMECMP) {
            checkTimeCompare(bits);
        }
        if (csr == SATP && mode == HartState.SUPERVISOR) {
            if (virtual && (hypervisor.hstatus & HSTATUS_VTVM) != 0) {
                throw trap.raise(TrapCause.VIRTUAL_INSTRUCTION, bits & 0xffff_ffffL);
            }
            if (!virtual && (mstatus & STATUS_TVM) != 0) {
                throw illegal(bits);
            }
        }
        if (csr == HGATP && mode == HartState.SUPERVISOR && (mstatus & STATUS_TVM) != 0) {
            throw illegal(bits);
        }
        if (FloatCsrs.isFloatCsr(csr) && (floats == null || !floats.enabled())) {
            throw illegal(bits); // FS Off (in vsstatus too with V=1): illegal, never virtual (H extension)
        }
        if (virtual && level == 1) {
            return aliasVirtualSupervisor(csr);
        }
        return csr;
    }

    private void checkCounter(int index, int bits) {
        long bit = 1L << index;
        int mode = state.mode;
        if (mode < HartState.MACHINE && (mcounteren & bit) == 0) {
            throw illegal(bits);
        }
        if (state.virtual) {
            if ((hypervisor.hcounteren & bit) == 0 || (mode == HartState.USER && (scounteren & bit) == 0)) {
                throw trap.raise(TrapCause.VIRTUAL_INSTRUCTION, bits & 0xffff_ffffL);
            }
        } else if (mode == HartState.USER && (scounteren & bit) == 0) {
            throw illegal(bits);
        }
    }

    private void checkTimeCompare(int bits) {
        if (state.mode < HartState.MACHINE && ((menvcfg & ENVCFG_STCE) == 0 || (mcounteren & 2) == 0)) {
            throw illegal(bits);
        }
        if (state.virtual && ((hypervisor.henvcfg & ENVCFG_STCE) == 0 || (hypervisor.hcounteren & 2) == 0)) {
            throw trap.raise(TrapCause.VIRTUAL_INSTRUCTION, bits & 0xffff_ffffL);
        }
    }

    private static int aliasVirtualSupervisor(int csr) {
        return switch (csr) {
            case SSTATUS, SIE, STVEC, SSCRATCH, SEPC, SCAUSE, STVAL, SIP, STIMECMP, SATP -> csr + 0x100;
            default -> csr;
        };
    }

    private TrapException illegal(int bits) {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
    }

    /**
     * Reads a CSR without access checks, as the host API does.
     *
     * @param csr the CSR number
     * @return the value
     * @throws IllegalArgumentException when the CSR does not exist
     */
    public long readDirect(int csr) {
        if (PmpCsrs.isPmp(csr)) {
            return pmp.read(csr);
        }
        if ((csr >= HPMCOUNTER3 && csr <= HPMCOUNTER31) || (csr >= MHPMCOUNTER3 && csr <= MHPMCOUNTER31)
                || (csr >= MHPMEVENT3 && csr <= MHPMEVENT31)) {
            return 0;
        }
        if (FloatCsrs.isFloatCsr(csr) && floats != null) {
            return floats.read(csr);
        }
        return switch (csr) {
            case CYCLE, MCYCLE -> counters.cycle();
            case TIME -> time.now() + (state.virtual ? interrupts.htimedelta : 0);
            case INSTRET, MINSTRET -> counters.instret();
            case SSTATUS -> mstatus() & SSTATUS_READABLE;
            case SIE -> interrupts.enabled & mideleg & IP_SUPERVISOR;
            case STVEC -> stvec;
            case SCOUNTEREN -> scounteren;
            case SENVCFG -> senvcfg;
            case SSCRATCH -> sscratch;
            case SEPC -> sepc & epcMask;
            case SCAUSE -> scause;
            case STVAL -> stval;
            case SIP -> interrupts.pending() & mideleg & IP_SUPERVISOR;
            case STIMECMP -> interrupts.stimecmp;
            case SATP -> satp;
            case MVENDORID, MARCHID, MIMPID, MCONFIGPTR, TSELECT, TDATA1, TDATA2, TDATA3 -> 0;
            case MHARTID -> hartId;
            case MSTATUS -> mstatus();
            case MISA -> misa;
            case MEDELEG -> medeleg;
            case MIDELEG -> mideleg | (hasHypervisor ? IP_VIRTUAL_SUPERVISOR | IP_SGEIP : 0);
            case MIE -> interrupts.enabled;
            case MTVEC -> mtvec;
            case MCOUNTEREN -> mcounteren;
            case MENVCFG -> menvcfg;
            case MCOUNTINHIBIT -> counters.inhibit();
            case MSCRATCH -> mscratch;
            case MEPC -> mepc & epcMask;
            case MCAUSE -> mcause;
            case MTVAL -> mtval;
            case MIP -> interrupts.pending();
            default -> readHypervisor(csr);
        };
    }

    private long readHypervisor(int csr) {
        if (!hasHypervisor) {
            throw new IllegalArgumentException(String.format("no CSR 0x%03x", csr));
        }
        return hypervisor.read(csr, epcMask);
    }

    /** Returns mstatus with its read-only fields: UXL/SXL, and SD (set when FS is Dirty; VS and XS are zero). */
    public long mstatus() {
        return mstatus | STATUS_XLEN64 | ((mstatus & STATUS_FS) == STATUS_FS ? STATUS_SD : 0);
    }

    /**
     * Writes a CSR without access checks, as the host API does; WARL rules apply.
     *
     * @param csr the CSR number
     * @param value the value
     * @throws IllegalArgumentException when the CSR does not exist
     */
    public void writeDirect(int csr, long value) {
        if (PmpCsrs.isPmp(csr)) {
            pmp.write(csr, value);
            translation.protectionChanged();
            return;
        }
        if ((csr >= MHPMCOUNTER3 && csr <= MHPMCOUNTER31) || (csr >= MHPMEVENT3 && csr <= MHPMEVENT31)) {
            return;
        }
        if (FloatCsrs.isFloatCsr(csr) && floats != null) {
            floats.write(csr, value);
            return;
        }
        switch (csr) {
            case MCYCLE -> counters.writeCycle(value);
            case MINSTRET -> counters.writeInstret(value);
            case SSTATUS -> writeMstatus((mstatus & ~sstatusWritable) | (value & sstatusWritable));
            case SIE -> {
                long mask = mideleg & IP_SUPERVISOR;
                interrupts.enabled = (interrupts.enabled & ~mask) | (value & mask);
            }
            case STVEC -> stvec = value & ~2L;
            case SCOUNTEREN -> scounteren = value & 0xffff_ffffL;
            case SENVCFG -> senvcfg = value & ENVCFG_FIOM;
            case SSCRATCH -> sscratch = value;
            case SEPC -> sepc = value & ~1L;
            case SCAUSE -> scause = value;
            case STVAL -> stval = value;
            case SIP -> {
                long mask = mideleg & IP_SSIP;
                interrupts.software = (interrupts.software & ~mask) | (value & mask);
            }
            case STIMECMP -> interrupts.stimecmp = value;
            case SATP -> writeSatp(value);
            case MSTATUS -> writeMstatus(value);
            case MISA, TSELECT, TDATA1, TDATA2, TDATA3 -> {
            }
            case MEDELEG -> medeleg = value & (MEDELEG_WRITABLE | (hasHypervisor ? MEDELEG_HYPERVISOR : 0));
            case MIDELEG -> mideleg = value & IP_SUPERVISOR;
            case MIE -> interrupts.enabled = value & (MIE_WRITABLE
                    | (hasHypervisor ? IP_VIRTUAL_SUPERVISOR | IP_SGEIP : 0));
            case MTVEC -> mtvec = value & ~2L;
            case MCOUNTEREN -> mcounteren = value & 0xffff_ffffL;
            case MENVCFG -> {
                menvcfg = value & ((hasSstc ? ENVCFG_STCE : 0) | ENVCFG_FIOM);
                interrupts.supervisorTimerCompare = (menvcfg & ENVCFG_STCE) != 0;
            }
            case MCOUNTINHIBIT -> counters.writeInhibit(value);
            case MSCRATCH -> mscratch = value;
            case MEPC -> mepc = value & ~1L;
            case MCAUSE -> mcause = value;
            case MTVAL -> mtval = value;
            case MIP -> writeMip(value);
            default -> writeHypervisor(csr, value);
        }
    }

    private void writeHypervisor(int csr, long value) {
        if (!hasHypervisor) {
            throw new IllegalArgumentException(String.format("no CSR 0x%03x", csr));
        }
        hypervisor.write(csr, value);
    }

    private void writeMip(long value) {
        long mask = IP_SSIP | IP_SEIP | ((menvcfg & ENVCFG_STCE) == 0 ? IP_STIP : 0)
                | (hasHypervisor ? IP_VSSIP : 0);
        interrupts.software = (interrupts.software & ~mask) | (value & mask);
    }

    private void writeMstatus(long value) {
        long next = (mstatus & ~mstatusWritable) | (value & mstatusWritable);
        if (((next & STATUS_MPP) >>> STATUS_MPP_SHIFT) == 2) {
            next = (next & ~STATUS_MPP) | (mstatus & STATUS_MPP);
        }
        mstatus = next;
        translation.translationContextChanged();
    }

    private void writeSatp(long value) {
        if (!virtualMemory.accepts(value >>> 60)) {
            return;
        }
        satp = value & (0xfL << 60 | 0xffffL << 44 | 0x0fff_ffff_ffffL);
        translation.satpWritten(satp);
    }

    /** Restores the reset values (Privileged spec, "Reset"). */
    public void reset() {
        mstatus = 0;
        medeleg = 0;
        mideleg = 0;
        mtvec = 0;
        mcounteren = 0;
        menvcfg = 0;
        mscratch = 0;
        mepc = 0;
        mcause = 0;
        mtval = 0;
        stvec = 0;
        scounteren = 0;
        senvcfg = 0;
        sscratch = 0;
        sepc = 0;
        scause = 0;
        stval = 0;
        satp = 0;
        interrupts.reset();
        counters.reset();
        pmp.reset();
        hypervisor.reset();
        if (floats != null) {
            floats.reset();
        }
        translation.protectionChanged();
        translation.translationFlushed();
    }
}
