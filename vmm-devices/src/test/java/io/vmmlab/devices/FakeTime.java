package io.vmmlab.devices;

import io.vmmlab.api.cpu.TimeSource;

/** A test fake: a platform clock the test moves by hand. */
public final class FakeTime implements TimeSource {
    private long now;

    @Override
    public long now() {
        return now;
    }

    public void set(long now) {
        this.now = now;
    }

    @Override
    public long frequencyHz() {
        return 10_000_000;
    }
}
