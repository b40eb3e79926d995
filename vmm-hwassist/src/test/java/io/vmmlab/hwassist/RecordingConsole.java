package io.vmmlab.hwassist;

import io.vmmlab.api.device.HostConsole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A console that keeps what the guest writes and has no input. */
final class RecordingConsole implements HostConsole {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Override
    public void write(int value) {
        output.write(value);
    }

    @Override
    public int read() {
        return -1;
    }

    String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
