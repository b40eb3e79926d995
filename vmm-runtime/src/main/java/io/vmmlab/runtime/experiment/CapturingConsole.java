package io.vmmlab.runtime.experiment;

import io.vmmlab.api.device.HostConsole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A guest console that keeps what the guest writes, for experiments that read the guest's output afterwards.
 * The guest gets no input.
 */
public final class CapturingConsole implements HostConsole {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Override
    public void write(int value) {
        output.write(value & 0xff);
    }

    @Override
    public int read() {
        return -1;
    }

    /**
     * Returns everything the guest wrote so far, decoded as UTF-8, with carriage returns removed.
     *
     * @return the text
     */
    public String text() {
        return output.toString(StandardCharsets.UTF_8).replace("\r", "");
    }
}
