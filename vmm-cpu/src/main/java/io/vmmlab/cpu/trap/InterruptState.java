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

    /**
     * Returns the platform time at which an Sstc comparator next sets STIP or VSTIP: now when one is set already,
     * {@link Long#MAX_VALUE} when neither compares or the time is beyond {@code 2^63 - 1} ticks (never, in practice).
     *
     * @return the deadline in platform time
     */
    public long timerDeadline() {
        long now = time.now();
        long deadline = Long.MAX_VALUE;
        if (supervisorTimerCompare) {
            deadline = after(now, now, stimecmp);
        }
        if (virtualTimerCompare) {
            deadline = Math.min(deadline, after(now, now + htimedelta, vstimecmp));
        }
        return deadline;
    }

    /** When a comparator set at compare fires, in platform time, for a counter that reads count now. */
    private static long after(long now, long count, long compare) {
        if (Long.compareUnsigned(count, compare) >= 0) {
            return now;
        }
        long remaining = compare - count; // unsigned, not zero
        return remaining < 0 || remaining > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + remaining;
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
