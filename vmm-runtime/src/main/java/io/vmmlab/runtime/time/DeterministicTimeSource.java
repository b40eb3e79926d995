package io.vmmlab.runtime.time;

import io.vmmlab.api.cpu.TimeSource;

import java.util.function.LongSupplier;

/**
 * Platform time derived from retired instructions, so the same guest and configuration give the same counters
 * on every run and every machine. One tick passes every {@code instructionsPerTick} guest instructions (summed
 * over harts); while every hart waits for an interrupt, the run loop skips time forward with {@link #skipTo}.
 */
public final class DeterministicTimeSource implements TimeSource {
    private final LongSupplier retiredInstructions;
    private final long instructionsPerTick;
    private long skipped;

    /**
     * Creates the clock.
     *
     * @param retiredInstructions the machine's total retired instructions
     * @param instructionsPerTick guest instructions per 10 MHz tick (10 models a 100 MIPS machine)
     */
    public DeterministicTimeSource(LongSupplier retiredInstructions, long instructionsPerTick) {
        if (instructionsPerTick <= 0) {
            throw new IllegalArgumentException("instructions per tick must be positive: " + instructionsPerTick);
        }
        this.retiredInstructions = retiredInstructions;
        this.instructionsPerTick = instructionsPerTick;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public long now() {
        return retiredInstructions.getAsLong() / instructionsPerTick + skipped;
    }

    /**
     * Moves time forward to {@code target} when it lies in the future; never moves it back.
     *
     * @param target the platform time to reach
     */
    public void skipTo(long target) {
        long current = now();
        if (target > current) {
            skipped += target - current;
        }
    }

    @Override
    public long frequencyHz() {
        return HostTimeSource.FREQUENCY_HZ;
    }
}
