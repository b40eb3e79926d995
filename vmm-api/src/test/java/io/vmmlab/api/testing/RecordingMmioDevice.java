package io.vmmlab.api.testing;

import io.vmmlab.api.device.MmioDevice;

import java.util.ArrayList;
import java.util.List;

/** A test fake: remembers every write and answers reads with a fixed value. */
public final class RecordingMmioDevice implements MmioDevice {
    private final List<Access> writes = new ArrayList<>();
    private final long readValue;

    public RecordingMmioDevice(long readValue) {
        this.readValue = readValue;
    }

    @Override
    public long read(long offset, int size) {
        return readValue;
    }

    @Override
    public void write(long offset, int size, long value) {
        writes.add(new Access(offset, size, value));
    }

    public List<Access> writes() {
        return List.copyOf(writes);
    }

    /** One recorded write. */
    public record Access(long offset, int size, long value) {
    }
}
