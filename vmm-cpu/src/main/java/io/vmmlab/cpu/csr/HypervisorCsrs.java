package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.cpu.trap.InterruptState;

import static io.vmmlab.cpu.csr.CsrAddress.*;

/**
 * The H extension's CSRs (Privileged spec, chapter "Hypervisor Extension"): the HS-level hypervisor registers and
 * the VS-level copies of the supervisor registers that the S-mode CSR numbers alias while V=1.
 *
 * <p>{@code hip}, {@code hie}, {@code hvip}, {@code vsip} and {@code vsie} are views of {@code mip}/{@code mie}
 * held in {@link InterruptState}. The guest external interrupt file is absent (GEILEN = 0), so {@code hgeip},
 * {@code hgeie} and {@code hstatus.VGEIN} read zero. Fields are public for the MMU and the trap unit.
 */
public final class HypervisorCsrs {
    private static final long HSTATUS_WRITABLE = HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU
            | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR;
    private static final long HEDELEG_WRITABLE = 0xb1ffL;
    private static final long VSSTATUS_WRITABLE = STATUS_SIE | STATUS_SPIE | STATUS_SPP | STATUS_SUM | STATUS_MXR;
    private static final long VSSTATUS_READABLE = VSSTATUS_WRITABLE | STATUS_UBE | STATUS_FS | STATUS_VS
            | STATUS_XS | STATUS_SD;

    private final InterruptState interrupts;
    private final TranslationListener translation;
    private final AddressTranslation virtualMemory;
    /** vsstatus's writable fields: FS too with the F extension. */
    private final long vsstatusWritable;

    public long hstatus = HSTATUS_VSXL64;
    public long hedeleg;
    public long hideleg;
    public long hcounteren;
    public long henvcfg;
    public long htval;
    public long htinst;
    public long hgatp;
    public long vsstatus;
    public long vstvec;
    public long vsscratch;
    public long vsepc;
    public long vscause;
    public long vstval;
    public long vsatp;
    public long mtval2;
    public long mtinst;

    /**
     * Creates the registers at their reset values.
     *
     * @param interrupts the shared mip/mie state
     * @param translation told when hgatp or vsatp change
     * @param floatingPoint whether the hart has the F extension (vsstatus.FS is then writable)
     * @param virtualMemory the largest translation mode vsatp accepts (and hgatp, as its x4 variant)
     */
    public HypervisorCsrs(InterruptState interrupts, TranslationListener translation, boolean floatingPoint,
                          AddressTranslation virtualMemory) {
        this.interrupts = interrupts;
        this.virtualMemory = virtualMemory;
        this.translation = translation;
        this.vsstatusWritable = VSSTATUS_WRITABLE | (floatingPoint ? STATUS_FS : 0);
    }

    /**
     * Returns vsstatus as software reads it: UXL = 64, and SD set when vsstatus.FS is Dirty (it summarizes the state
     * as VS-mode sees it; the HS-level FS does not affect it).
     */
    public long vsstatusValue() {
        long dirty = (vsstatus & STATUS_FS) == STATUS_FS ? STATUS_SD : 0;
        return (vsstatus & VSSTATUS_READABLE) | STATUS_XLEN64 & STATUS_UXL | dirty;
    }

    /**
     * Reads an H-extension CSR (already checked for access rights).
     *
     * @param csr the CSR number
     * @param epcMask mask applied to vsepc on reads (clears bit 1 without the C extension)
     * @return the value
     * @throws IllegalArgumentException when the number is not an H CSR
     */
    public long read(int csr, long epcMask) {
        long mip = interrupts.pending();
        return switch (csr) {
            case HSTATUS -> hstatus;
            case HEDELEG -> hedeleg;
            case HIDELEG -> hideleg;
            case HIE -> interrupts.enabled & (IP_VIRTUAL_SUPERVISOR | IP_SGEIP);
            case HIP -> mip & (IP_VIRTUAL_SUPERVISOR | IP_SGEIP);
            case HVIP -> interrupts.software & IP_VIRTUAL_SUPERVISOR;
            case HTIMEDELTA -> interrupts.htimedelta;
            case HCOUNTEREN -> hcounteren;
            case HGEIE, HGEIP -> 0;
            case HENVCFG -> henvcfg;
            case HTVAL -> htval;
            case HTINST -> htinst;
            case HGATP -> hgatp;
            case VSSTATUS -> vsstatusValue();
            case VSIE -> (interrupts.enabled & hideleg & IP_VIRTUAL_SUPERVISOR) >>> 1;
            case VSIP -> (mip & hideleg & IP_VIRTUAL_SUPERVISOR) >>> 1;
            case VSTVEC -> vstvec;
            case VSSCRATCH -> vsscratch;
            case VSEPC -> vsepc & epcMask;
            case VSCAUSE -> vscause;
            case VSTVAL -> vstval;
            case VSATP -> vsatp;
            case VSTIMECMP -> interrupts.vstimecmp;
            case MTVAL2 -> mtval2;
            case MTINST -> mtinst;
            default -> throw new IllegalArgumentException(String.format("no CSR 0x%03x", csr));
        };
    }

    /**
     * Writes an H-extension CSR (already checked for access rights), applying the WARL rules.
     *
     * @param csr the CSR number
     * @param value the value
     * @throws IllegalArgumentException when the number is not an H CSR
     */
    public void write(int csr, long value) {
        switch (csr) {
            case HSTATUS -> hstatus = (value & HSTATUS_WRITABLE) | HSTATUS_VSXL64;
            case HEDELEG -> hedeleg = value & HEDELEG_WRITABLE;
            case HIDELEG -> hideleg = value & IP_VIRTUAL_SUPERVISOR;
            case HIE -> interrupts.enabled = (interrupts.enabled & ~IP_VIRTUAL_SUPERVISOR)
                    | (value & IP_VIRTUAL_SUPERVISOR);
            case HIP -> setVirtualPending(IP_VSSIP, value);
            case HVIP -> setVirtualPending(IP_VIRTUAL_SUPERVISOR, value);
            case HTIMEDELTA -> interrupts.htimedelta = value;
            case HCOUNTEREN -> hcounteren = value & 0xffff_ffffL;
            case HGEIE, HGEIP -> {
            }
            case HENVCFG -> {
                henvcfg = value & (ENVCFG_STCE | ENVCFG_FIOM);
                interrupts.virtualTimerCompare = (henvcfg & ENVCFG_STCE) != 0;
            }
            case HTVAL -> htval = value;
            case HTINST -> htinst = value;
            case HGATP -> writeHgatp(value);
            case VSSTATUS -> {
                vsstatus = (vsstatus & ~vsstatusWritable) | (value & vsstatusWritable);
                translation.translationContextChanged();
            }
            case VSIE -> {
                long mask = hideleg & IP_VIRTUAL_SUPERVISOR;
                interrupts.enabled = (interrupts.enabled & ~mask) | ((value << 1) & mask);
            }
            case VSIP -> setVirtualPending(hideleg & IP_VSSIP, value << 1);
            case VSTVEC -> vstvec = value & ~2L;
            case VSSCRATCH -> vsscratch = value;
            case VSEPC -> vsepc = value & ~1L;
            case VSCAUSE -> vscause = value;
            case VSTVAL -> vstval = value;
            case VSATP -> writeVsatp(value);
            case VSTIMECMP -> interrupts.vstimecmp = value;
            case MTVAL2 -> mtval2 = value;
            case MTINST -> mtinst = value;
            default -> throw new IllegalArgumentException(String.format("no CSR 0x%03x", csr));
        }
    }

    private void setVirtualPending(long mask, long value) {
        interrupts.software = (interrupts.software & ~mask) | (value & mask);
    }

    private void writeHgatp(long value) {
        if (!virtualMemory.accepts(value >>> 60)) {
            return;
        }
        // VMID is WARL; 14 bits are kept. The root table is 16 KiB aligned, so PPN bits 1:0 read zero.
        hgatp = value & (0xfL << 60 | 0x3fffL << 44 | 0x0fff_ffff_fffcL);
        translation.translationFlushed();
    }

    private void writeVsatp(long value) {
        if (!virtualMemory.accepts(value >>> 60)) {
            return;
        }
        vsatp = value & (0xfL << 60 | 0xffffL << 44 | 0x0fff_ffff_ffffL);
        translation.vsatpWritten(vsatp);
    }

    /** Restores reset values. */
    public void reset() {
        hstatus = HSTATUS_VSXL64;
        hedeleg = 0;
        hideleg = 0;
        hcounteren = 0;
        henvcfg = 0;
        htval = 0;
        htinst = 0;
        hgatp = 0;
        vsstatus = 0;
        vstvec = 0;
        vsscratch = 0;
        vsepc = 0;
        vscause = 0;
        vstval = 0;
        vsatp = 0;
        mtval2 = 0;
        mtinst = 0;
    }
}
