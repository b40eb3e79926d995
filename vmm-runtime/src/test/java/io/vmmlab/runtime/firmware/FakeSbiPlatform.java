package io.vmmlab.runtime.firmware;

import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.sbi.HartStatus;
import io.vmmlab.api.sbi.SbiPlatform;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * An SBI platform that records every call as a line of text, with 4 KiB of RAM at 0x8000_0000 (or as much as
 * asked), hart 0 started and every other hart stopped, and a console that collects output and serves queued input.
 */
final class FakeSbiPlatform implements SbiPlatform {
    static final long RAM_BASE = 0x8000_0000L;
    static final int RAM_SIZE = 0x1000;

    private final HartStatus[] statuses;
    private final FlatRam memory;
    private final FakeConsole console = new FakeConsole();
    private final List<String> calls = new ArrayList<>();

    FakeSbiPlatform(int harts) {
        this(harts, RAM_SIZE);
    }

    FakeSbiPlatform(int harts, int ramSize) {
        memory = new FlatRam(RAM_BASE, ramSize);
        statuses = new HartStatus[harts];
        Arrays.fill(statuses, HartStatus.STOPPED);
        statuses[0] = HartStatus.STARTED;
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    FakeConsole fakeConsole() {
        return console;
    }

    void status(int hart, HartStatus status) {
        statuses[hart] = status;
    }

    @Override
    public int hartCount() {
        return statuses.length;
    }

    @Override
    public void setTimer(int hartId, long deadline) {
        calls.add(String.format("setTimer(%d, 0x%x)", hartId, deadline));
    }

    @Override
    public void sendSoftwareInterrupt(int hartId) {
        calls.add("sendSoftwareInterrupt(" + hartId + ")");
    }

    @Override
    public void clearSoftwareInterrupt(int hartId) {
        calls.add("clearSoftwareInterrupt(" + hartId + ")");
    }

    @Override
    public void remoteFence(int hartId) {
        calls.add("remoteFence(" + hartId + ")");
    }

    @Override
    public HartStatus hartStatus(int hartId) {
        return statuses[hartId];
    }

    @Override
    public void startHart(int hartId, long startAddress, long opaque) {
        calls.add(String.format("startHart(%d, 0x%x, 0x%x)", hartId, startAddress, opaque));
        statuses[hartId] = HartStatus.START_PENDING;
    }

    @Override
    public void stopHart(int hartId) {
        calls.add("stopHart(" + hartId + ")");
    }

    @Override
    public void systemReset(long type, long reason) {
        calls.add("systemReset(" + type + ", " + reason + ")");
    }

    @Override
    public void legacyShutdown() {
        calls.add("legacyShutdown()");
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public HostConsole console() {
        return console;
    }

    /** Collects output; serves input queued by the test, then -1. */
    static final class FakeConsole implements HostConsole {
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final Queue<Integer> input = new ArrayDeque<>();

        void type(String text) {
            for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
                input.add(b & 0xff);
            }
        }

        byte[] outputBytes() {
            return output.toByteArray();
        }

        String output() {
            return output.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void write(int value) {
            output.write(value);
        }

        @Override
        public int read() {
            Integer next = input.poll();
            return next == null ? -1 : next;
        }
    }
}
