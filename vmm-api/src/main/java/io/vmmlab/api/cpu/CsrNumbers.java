package io.vmmlab.api.cpu;

/**
 * Numbers of the CSRs that hosts (firmware, VMMs) read and write through {@link Hart#readCsr} and
 * {@link Hart#writeCsr} (Privileged spec, chapter 2, "CSR Listing").
 */
public final class CsrNumbers {
    /** Supervisor status. */
    public static final int SSTATUS = 0x100;
    /** Supervisor interrupt enable. */
    public static final int SIE = 0x104;
    /** Supervisor trap vector. */
    public static final int STVEC = 0x105;
    /** Supervisor counter enable. */
    public static final int SCOUNTEREN = 0x106;
    /** Supervisor environment configuration. */
    public static final int SENVCFG = 0x10a;
    /** Supervisor scratch. */
    public static final int SSCRATCH = 0x140;
    /** Supervisor exception pc. */
    public static final int SEPC = 0x141;
    /** Supervisor trap cause. */
    public static final int SCAUSE = 0x142;
    /** Supervisor trap value. */
    public static final int STVAL = 0x143;
    /** Supervisor interrupt pending. */
    public static final int SIP = 0x144;
    /** Supervisor timer compare (Sstc). */
    public static final int STIMECMP = 0x14d;
    /** Supervisor address translation and protection. */
    public static final int SATP = 0x180;
    /** Machine status. */
    public static final int MSTATUS = 0x300;
    /** Machine ISA. */
    public static final int MISA = 0x301;
    /** Machine exception delegation. */
    public static final int MEDELEG = 0x302;
    /** Machine interrupt delegation. */
    public static final int MIDELEG = 0x303;
    /** Machine interrupt enable. */
    public static final int MIE = 0x304;
    /** Machine trap vector. */
    public static final int MTVEC = 0x305;
    /** Machine counter enable. */
    public static final int MCOUNTEREN = 0x306;
    /** Machine environment configuration. */
    public static final int MENVCFG = 0x30a;
    /** Machine exception pc. */
    public static final int MEPC = 0x341;
    /** Machine trap cause. */
    public static final int MCAUSE = 0x342;
    /** Machine trap value. */
    public static final int MTVAL = 0x343;
    /** Machine interrupt pending. */
    public static final int MIP = 0x344;
    /** Vendor id. */
    public static final int MVENDORID = 0xf11;
    /** Architecture id. */
    public static final int MARCHID = 0xf12;
    /** Implementation id. */
    public static final int MIMPID = 0xf13;

    private CsrNumbers() {
    }
}
