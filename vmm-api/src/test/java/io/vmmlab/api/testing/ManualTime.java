package io.vmmlab.api.testing;

import io.vmmlab.api.cpu.TimeSource;

/** A test fake: a 10 MHz platform clock that moves only when the test sets it. */
public final class ManualTime implements TimeSource {
    private long now;

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
}
