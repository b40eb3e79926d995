package io.vmmlab.api.testing;

import io.vmmlab.api.cpu.TimeSource;

/** A test fake: a 10 MHz platform clock that moves only when the test sets or advances it. */
public final class ManualTime implements TimeSource {
    private volatile long now;

    @Override
    public long now() {
        return now;
    }

    @Override
    public long frequencyHz() {
        return 10_000_000;
    }

    /**
     * Sets the time.
     *
     * @param value the new mtime
     */
    public void set(long value) {
        now = value;
    }

    /**
     * Moves the time forward.
     *
     * @param ticks how many ticks of {@link #frequencyHz()}
     */
    public void advance(long ticks) {
        now += ticks;
    }
}
