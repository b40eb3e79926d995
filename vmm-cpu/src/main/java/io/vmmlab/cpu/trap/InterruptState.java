package io.vmmlab.cpu.trap;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.InterruptLine;

import java.util.concurrent.atomic.AtomicLong;

import static io.vmmlab.cpu.csr.CsrAddress.IP_STIP;
import static io.vmmlab.cpu.csr.CsrAddress.IP_VSTIP;

/**
 * The interrupt-pending and interrupt-enable state of a hart (Privileged spec, "Machine Interrupt Registers
 * (mip and mie)", and the Sstc extension).
 *
 * <p>{@code mip} is assembled from three sources: bits software writes (SSIP, STIP without Sstc, the software
 * SEIP, and the H extension's hvip bits), wires driven by devices from other threads (MSIP, MTIP, MEIP and the
 * external SEIP, kept in an atomic), and the Sstc comparators ({@code STIP = time >= stimecmp} when
 * {@code menvcfg.STCE} is set; likewise VSTIP with {@code vstimecmp} and {@code htimedelta}).
 */
public final class InterruptState {
    private final AtomicLong lines = new AtomicLong();
    private final TimeSource time;

    /** Software-written pending bits. */
    public long software;
    /** mie. */
    public long enabled;
    /** Sstc comparator for STIP. */
    public long stimecmp = -1;
    /** Sstc comparator for VSTIP. */
    public long vstimecmp = -1;
    /** H extension's guest time offset. */
    public long htimedelta;
    /** menvcfg.STCE. */
    public boolean supervisorTimerCompare;
    /** henvcfg.STCE. */
    public boolean virtualTimerCompare;

    /**
     * Creates the state with nothing pending.
     *
     * @param time the platform time, for Sstc
     */
    public InterruptState(TimeSource time) {
        this.time = time;
    }

    /** Returns the current mip value. */
    public long pending() {
        long value = software | lines.get();
        if (supervisorTimerCompare) {
            value &= ~IP_STIP;
            if (Long.compareUnsigned(time.now(), stimecmp) >= 0) {
                value |= IP_STIP;
            }
        }
        if (virtualTimerCompare && Long.compareUnsigned(time.now() + htimedelta, vstimecmp) >= 0) {
            value |= IP_VSTIP;
        }
        return value;
    }

    /** Returns the bits devices drive. */
    public long lines() {
        return lines.get();
    }

    /**
     * Returns the wire for one device-driven input.
     *
     * @param interrupt the input
     * @return a thread-safe line
     */
    public InterruptLine line(HartInterrupt interrupt) {
        long bit = 1L << interrupt.bit();
        return asserted -> {
            if (asserted) {
                lines.getAndUpdate(value -> value | bit);
            } else {
                lines.getAndUpdate(value -> value & ~bit);
            }
        };
    }

    /** Clears software state (lines keep their level: devices own them). */
    public void reset() {
        software = 0;
        enabled = 0;
        stimecmp = -1;
        vstimecmp = -1;
        htimedelta = 0;
        supervisorTimerCompare = false;
        virtualTimerCompare = false;
    }
}
