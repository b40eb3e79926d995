package io.vmmlab.devices;

import io.vmmlab.api.device.HostConsole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/** A test fake: a host console with typed input queued by the test and output collected. */
public final class FakeConsole implements HostConsole {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ArrayDeque<Integer> input = new ArrayDeque<>();

    @Override
    public synchronized void write(int value) {
        output.write(value);
    }

    @Override
    public synchronized int read() {
        Integer next = input.poll();
        return next == null ? -1 : next;
    }

    public synchronized void type(String text) {
        for (byte octet : text.getBytes(StandardCharsets.ISO_8859_1)) {
            input.add(octet & 0xff);
        }
    }

    public synchronized String output() {
        return output.toString(StandardCharsets.ISO_8859_1);
    }

    public synchronized int pendingInput() {
        return input.size();
    }
}
