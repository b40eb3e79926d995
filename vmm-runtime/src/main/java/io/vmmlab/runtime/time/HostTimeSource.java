package io.vmmlab.runtime.time;

import io.vmmlab.api.cpu.TimeSource;

/**
 * Platform time that follows the host's monotonic clock, at the virt board's 10 MHz timebase.
 */
public final class HostTimeSource implements TimeSource {
    /** The timebase of QEMU's virt board. */
    public static final long FREQUENCY_HZ = 10_000_000L;

    private final long start = System.nanoTime();

    @Override
    public long now() {
        return (System.nanoTime() - start) / (1_000_000_000L / FREQUENCY_HZ);
    }

    @Override
    public long frequencyHz() {
        return FREQUENCY_HZ;
    }
}
