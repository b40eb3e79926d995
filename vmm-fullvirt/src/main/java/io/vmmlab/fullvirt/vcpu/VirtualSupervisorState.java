package io.vmmlab.fullvirt.vcpu;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.PrivilegeMode;

import java.util.Objects;

/**
 * The privileged state of one deprivileged guest hart, as the guest kernel believes it to be: its virtual privilege
 * mode and every supervisor CSR it uses (Privileged spec, chapter "Supervisor-Level ISA"). The real hart always runs
 * the guest in U-mode; the VMM reads and writes these fields when it emulates privileged instructions and traps.
 */
public final class VirtualSupervisorState {
    /** sstatus.SIE. */
    public static final long SSTATUS_SIE = 1L << 1;
    /** sstatus.SPIE. */
    public static final long SSTATUS_SPIE = 1L << 5;
    /** sstatus.SPP. */
    public static final long SSTATUS_SPP = 1L << 8;
    /** sstatus.SUM. */
    public static final long SSTATUS_SUM = 1L << 18;
    /** sstatus.MXR. */
    public static final long SSTATUS_MXR = 1L << 19;
    /** sstatus.FS, the floating-point unit's status (Off, Initial, Clean, Dirty); writable with the F extension. */
    public static final long SSTATUS_FS = 3L << 13;
    /** sstatus.SD: some state is Dirty (here: FS). */
    public static final long SSTATUS_SD = 1L << 63;
    /** The sstatus bits a guest may write (FS only with the F extension; the board has no V or big-endian support). */
    public static final long SSTATUS_WRITABLE = SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP | SSTATUS_SUM | SSTATUS_MXR;
    /** sstatus.UXL = 64 bits, read-only. */
    public static final long SSTATUS_UXL_64 = 2L << 32;
    /** Supervisor software interrupt pending/enable bit. */
    public static final long IP_SSIP = 1L << 1;
    /** Supervisor timer interrupt pending/enable bit. */
    public static final long IP_STIP = 1L << 5;
    /** Supervisor external interrupt pending/enable bit. */
    public static final long IP_SEIP = 1L << 9;
    /** All supervisor interrupt bits. */
    public static final long IP_SUPERVISOR = IP_SSIP | IP_STIP | IP_SEIP;

    private PrivilegeMode mode = PrivilegeMode.SUPERVISOR;
    private long sstatus;
    private long sie;
    private long pending;
    private long stvec;
    private long sscratch;
    private long sepc;
    private long scause;
    private long stval;
    private long satp;
    private long scounteren;
    private long senvcfg;
    private long stimecmp = -1;
    private long writable = SSTATUS_WRITABLE;
    // sstatus.FS as the real hart had it when the VMM last bound or looked at it (see foldFloatingPoint).
    private long hostFs;
    private final AddressTranslation translation;

    /**
     * Puts the state where a firmware leaves a kernel at boot: virtual S-mode, translation and interrupts off.
     */
    public void reset() {
        mode = PrivilegeMode.SUPERVISOR;
        sstatus = 0;
        sie = 0;
        pending = 0;
        stvec = 0;
        sscratch = 0;
        sepc = 0;
        scause = 0;
        stval = 0;
        satp = 0;
        scounteren = 0;
        senvcfg = 0;
        stimecmp = -1;
        hostFs = 0;
    }

    /**
     * Creates the state of a hart at reset: virtual S-mode, everything zero.
     *
     * @param translation the largest page-table mode the guest's satp accepts (as the real hart's does)
     */
    public VirtualSupervisorState(AddressTranslation translation) {
        this.translation = Objects.requireNonNull(translation, "translation is null");
    }

    /** Gives the guest the F extension's status field: sstatus.FS becomes writable (it resets to Off). */
    public void enableFloatingPoint() {
        writable = SSTATUS_WRITABLE | SSTATUS_FS;
    }

    /** @return true when the guest has the F extension (sstatus.FS is writable) */
    public boolean floatingPoint() {
        return writable != SSTATUS_WRITABLE;
    }

    /**
     * Takes in the real hart's mstatus.FS: the hart makes it Dirty when guest code (which runs on it deprivileged)
     * changes floating-point state, and the guest must see that in its sstatus.FS. A change since the VMM last bound
     * or looked is folded in once, so that a guest's later write of FS (Clean after saving its registers) stands.
     *
     * @param realFs the real mstatus.FS bits (mstatus &amp; {@link #SSTATUS_FS})
     */
    public void foldFloatingPoint(long realFs) {
        if (realFs != hostFs) {
            if (realFs == SSTATUS_FS && (sstatus & SSTATUS_FS) != 0) {
                sstatus |= SSTATUS_FS; // Dirty
            }
            hostFs = realFs;
        }
    }

    /**
     * Notes the FS value the VMM gave the real hart when binding it (the guest's own sstatus.FS).
     *
     * @param realFs the real mstatus.FS bits now
     */
    public void boundFloatingPoint(long realFs) {
        hostFs = realFs;
    }

    /** @return the virtual privilege mode, USER or SUPERVISOR */
    public PrivilegeMode mode() {
        return mode;
    }

    /** @param mode the new virtual privilege mode, USER or SUPERVISOR */
    public void setMode(PrivilegeMode mode) {
        if (mode == PrivilegeMode.MACHINE) {
            throw new IllegalArgumentException("a guest never runs in virtual M-mode");
        }
        this.mode = mode;
    }

    /** @return true in virtual S-mode */
    public boolean supervisor() {
        return mode == PrivilegeMode.SUPERVISOR;
    }

    /** @return sstatus as the guest reads it (SD set when FS is Dirty) */
    public long sstatus() {
        return sstatus | SSTATUS_UXL_64 | ((sstatus & SSTATUS_FS) == SSTATUS_FS ? SSTATUS_SD : 0);
    }

    /** @param value the new sstatus; read-only and absent fields are ignored */
    public void setSstatus(long value) {
        sstatus = value & writable;
    }

    /** @return sie */
    public long sie() {
        return sie;
    }

    /** @param value the new sie; only the supervisor interrupt bits stick */
    public void setSie(long value) {
        sie = value & IP_SUPERVISOR;
    }

    /**
     * Returns the pending bits the VMM keeps itself (SSIP, STIP); SEIP comes from the real interrupt line.
     *
     * @return the software-kept pending bits
     */
    public long pending() {
        return pending;
    }

    /** @param value the new software-kept pending bits (SSIP, STIP) */
    public void setPending(long value) {
        pending = value & (IP_SSIP | IP_STIP);
    }

    /** @return stvec */
    public long stvec() {
        return stvec;
    }

    /** @param value the new stvec; mode values above 1 are reserved and dropped */
    public void setStvec(long value) {
        stvec = value & ~2L;
    }

    /** @return sscratch */
    public long sscratch() {
        return sscratch;
    }

    /** @param value the new sscratch */
    public void setSscratch(long value) {
        sscratch = value;
    }

    /** @return sepc */
    public long sepc() {
        return sepc;
    }

    /** @param value the new sepc; bit 0 is always zero */
    public void setSepc(long value) {
        sepc = value & ~1L;
    }

    /** @return scause */
    public long scause() {
        return scause;
    }

    /** @param value the new scause */
    public void setScause(long value) {
        scause = value;
    }

    /** @return stval */
    public long stval() {
        return stval;
    }

    /** @param value the new stval */
    public void setStval(long value) {
        stval = value;
    }

    /** @return the guest's satp */
    public long satp() {
        return satp;
    }

    /**
     * Writes satp with its WARL rule: Bare and the modes up to the harts' largest are offered (each is shadowed by a
     * tree of as many levels), and a write of another mode has no effect.
     *
     * @param value the new satp
     * @return true when the value was accepted
     */
    public boolean setSatp(long value) {
        long satpMode = value >>> 60;
        if (!translation.accepts(satpMode)) {
            return false;
        }
        satp = satpMode == 0 ? 0 : value & (0xfL << 60 | 0xffffL << 44 | 0x0fff_ffff_ffffL);
        return true;
    }

    /** @return scounteren */
    public long scounteren() {
        return scounteren;
    }

    /** @param value the new scounteren */
    public void setScounteren(long value) {
        scounteren = value & 0xffff_ffffL;
    }

    /** @return senvcfg */
    public long senvcfg() {
        return senvcfg;
    }

    /** @param value the new senvcfg; only FIOM is implemented */
    public void setSenvcfg(long value) {
        senvcfg = value & 1;
    }

    /** @return the virtual Sstc stimecmp */
    public long stimecmp() {
        return stimecmp;
    }

    /** @param value the new virtual stimecmp */
    public void setStimecmp(long value) {
        stimecmp = value;
    }

    /** @return sstatus.SUM */
    public boolean sum() {
        return (sstatus & SSTATUS_SUM) != 0;
    }

    /** @return sstatus.MXR */
    public boolean mxr() {
        return (sstatus & SSTATUS_MXR) != 0;
    }
}
