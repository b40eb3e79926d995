package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.CsrNumbers;

/**
 * CSR numbers (Privileged spec, chapter "Control and Status Registers", tables of allocated addresses) and the
 * bit fields this hart implements. The numbers the API names ({@link CsrNumbers}, which strategies use) are taken
 * from there, so each value is written once; the rest (counters, VS and H CSRs, PMP, debug) are the hart's own.
 */
public final class CsrAddress {
    /** The F extension's CSRs (unprivileged volume, F extension, "Floating-Point Control and Status Register"). */
    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;
    public static final int CYCLE = 0xc00;
    public static final int TIME = 0xc01;
    public static final int INSTRET = 0xc02;
    public static final int HPMCOUNTER3 = 0xc03;
    public static final int HPMCOUNTER31 = 0xc1f;

    public static final int SSTATUS = CsrNumbers.SSTATUS;
    public static final int SIE = CsrNumbers.SIE;
    public static final int STVEC = CsrNumbers.STVEC;
    public static final int SCOUNTEREN = CsrNumbers.SCOUNTEREN;
    public static final int SENVCFG = CsrNumbers.SENVCFG;
    public static final int SSCRATCH = CsrNumbers.SSCRATCH;
    public static final int SEPC = CsrNumbers.SEPC;
    public static final int SCAUSE = CsrNumbers.SCAUSE;
    public static final int STVAL = CsrNumbers.STVAL;
    public static final int SIP = CsrNumbers.SIP;
    public static final int STIMECMP = CsrNumbers.STIMECMP;
    public static final int SATP = CsrNumbers.SATP;

    public static final int VSSTATUS = 0x200;
    public static final int VSIE = 0x204;
    public static final int VSTVEC = 0x205;
    public static final int VSSCRATCH = 0x240;
    public static final int VSEPC = 0x241;
    public static final int VSCAUSE = 0x242;
    public static final int VSTVAL = 0x243;
    public static final int VSIP = 0x244;
    public static final int VSTIMECMP = 0x24d;
    public static final int VSATP = 0x280;

    public static final int HSTATUS = 0x600;
    public static final int HEDELEG = 0x602;
    public static final int HIDELEG = 0x603;
    public static final int HIE = 0x604;
    public static final int HTIMEDELTA = 0x605;
    public static final int HCOUNTEREN = 0x606;
    public static final int HGEIE = 0x607;
    public static final int HENVCFG = 0x60a;
    public static final int HTVAL = 0x643;
    public static final int HIP = 0x644;
    public static final int HVIP = 0x645;
    public static final int HTINST = 0x64a;
    public static final int HGATP = 0x680;
    public static final int HGEIP = 0xe12;

    public static final int MVENDORID = CsrNumbers.MVENDORID;
    public static final int MARCHID = CsrNumbers.MARCHID;
    public static final int MIMPID = CsrNumbers.MIMPID;
    public static final int MHARTID = 0xf14;
    public static final int MCONFIGPTR = 0xf15;
    public static final int MSTATUS = CsrNumbers.MSTATUS;
    public static final int MISA = CsrNumbers.MISA;
    public static final int MEDELEG = CsrNumbers.MEDELEG;
    public static final int MIDELEG = CsrNumbers.MIDELEG;
    public static final int MIE = CsrNumbers.MIE;
    public static final int MTVEC = CsrNumbers.MTVEC;
    public static final int MCOUNTEREN = CsrNumbers.MCOUNTEREN;
    public static final int MENVCFG = CsrNumbers.MENVCFG;
    public static final int MCOUNTINHIBIT = 0x320;
    public static final int MHPMEVENT3 = 0x323;
    public static final int MHPMEVENT31 = 0x33f;
    public static final int MSCRATCH = 0x340;
    public static final int MEPC = CsrNumbers.MEPC;
    public static final int MCAUSE = CsrNumbers.MCAUSE;
    public static final int MTVAL = CsrNumbers.MTVAL;
    public static final int MIP = CsrNumbers.MIP;
    public static final int MTINST = 0x34a;
    public static final int MTVAL2 = 0x34b;
    public static final int PMPCFG0 = 0x3a0;
    public static final int PMPCFG15 = 0x3af;
    public static final int PMPADDR0 = 0x3b0;
    public static final int PMPADDR63 = 0x3ef;
    public static final int MCYCLE = 0xb00;
    public static final int MINSTRET = 0xb02;
    public static final int MHPMCOUNTER3 = 0xb03;
    public static final int MHPMCOUNTER31 = 0xb1f;
    public static final int TSELECT = 0x7a0;
    public static final int TDATA1 = 0x7a1;
    public static final int TDATA2 = 0x7a2;
    public static final int TDATA3 = 0x7a3;

    /** mstatus/sstatus fields (Privileged spec, "Machine Status Register"). */
    public static final long STATUS_SIE = 1L << 1;
    public static final long STATUS_MIE = 1L << 3;
    public static final long STATUS_SPIE = 1L << 5;
    public static final long STATUS_UBE = 1L << 6;
    public static final long STATUS_MPIE = 1L << 7;
    public static final long STATUS_SPP = 1L << 8;
    public static final long STATUS_VS = 3L << 9;
    public static final int STATUS_MPP_SHIFT = 11;
    public static final long STATUS_MPP = 3L << STATUS_MPP_SHIFT;
    public static final long STATUS_FS = 3L << 13;
    /** FS = Initial (1), the value a VMM gives its own FS so that a guest may use floating point. */
    public static final long STATUS_FS_INITIAL = 1L << 13;
    public static final long STATUS_XS = 3L << 15;
    public static final long STATUS_MPRV = 1L << 17;
    public static final long STATUS_SUM = 1L << 18;
    public static final long STATUS_MXR = 1L << 19;
    public static final long STATUS_TVM = 1L << 20;
    public static final long STATUS_TW = 1L << 21;
    public static final long STATUS_TSR = 1L << 22;
    public static final long STATUS_UXL = 3L << 32;
    public static final long STATUS_SXL = 3L << 34;
    public static final long STATUS_GVA = 1L << 38;
    public static final long STATUS_MPV = 1L << 39;
    public static final long STATUS_SD = 1L << 63;
    /** UXL = SXL = 2: XLEN 64, read-only. */
    public static final long STATUS_XLEN64 = 2L << 32 | 2L << 34;

    /** hstatus fields (Privileged spec, "Hypervisor Status Register"). */
    public static final long HSTATUS_GVA = 1L << 6;
    public static final long HSTATUS_SPV = 1L << 7;
    public static final long HSTATUS_SPVP = 1L << 8;
    public static final long HSTATUS_HU = 1L << 9;
    public static final long HSTATUS_VTVM = 1L << 20;
    public static final long HSTATUS_VTW = 1L << 21;
    public static final long HSTATUS_VTSR = 1L << 22;
    public static final long HSTATUS_VSXL64 = 2L << 32;

    /** mip/mie bits (Privileged spec, "Machine Interrupt Registers"). */
    public static final long IP_SSIP = 1L << 1;
    public static final long IP_VSSIP = 1L << 2;
    public static final long IP_MSIP = 1L << 3;
    public static final long IP_STIP = 1L << 5;
    public static final long IP_VSTIP = 1L << 6;
    public static final long IP_MTIP = 1L << 7;
    public static final long IP_SEIP = 1L << 9;
    public static final long IP_VSEIP = 1L << 10;
    public static final long IP_MEIP = 1L << 11;
    public static final long IP_SGEIP = 1L << 12;
    public static final long IP_SUPERVISOR = IP_SSIP | IP_STIP | IP_SEIP;
    public static final long IP_VIRTUAL_SUPERVISOR = IP_VSSIP | IP_VSTIP | IP_VSEIP;

    /** menvcfg.STCE (Sstc) and FIOM. */
    public static final long ENVCFG_STCE = 1L << 63;
    public static final long ENVCFG_FIOM = 1L;

    private CsrAddress() {
    }
}
