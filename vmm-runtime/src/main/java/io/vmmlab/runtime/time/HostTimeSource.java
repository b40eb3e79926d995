package io.vmmlab.runtime.time;

import io.vmmlab.api.cpu.TimeSource;

/**
 * Platform time that follows the host's monotonic clock, at the virt board's 10 MHz timebase.
 */
public final class HostTimeSource implements TimeSource {
    /** The timebase of QEMU's virt board. */
    public static final long FREQUENCY_HZ = 10_000_000L;

    private volatile long start = System.nanoTime();

    @Override
    public long now() {
        return (System.nanoTime() - start) / (1_000_000_000L / FREQUENCY_HZ);
    }

    /**
     * Leaves a stretch of host time out of platform time, which then goes on from where it was: a debugger held the
     * machine that long (as QEMU stops its virtual clock while GDB holds the guest), so the guest's timers do not all
     * fire at once when it goes on.
     *
     * @param nanos the host time to leave out
     */
    public void exclude(long nanos) {
        start += nanos;
    }

    @Override
    public long frequencyHz() {
        return FREQUENCY_HZ;
    }
}
