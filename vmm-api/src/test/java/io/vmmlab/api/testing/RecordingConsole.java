package io.vmmlab.api.testing;

import io.vmmlab.api.device.HostConsole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A test fake: a console that keeps what the guest writes and has no input. */
public final class RecordingConsole implements HostConsole {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Override
    public void write(int value) {
        output.write(value);
    }

    @Override
    public int read() {
        return -1;
    }

    /**
     * Returns what the guest wrote.
     *
     * @return the bytes as UTF-8 text
     */
    public String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
