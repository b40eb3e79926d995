package io.vmmlab.devices;

import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.testing.SimpleCounters;

/** Test helper: device contexts made of fakes, as the runtime would build them. */
public final class DeviceContexts {
    public static final long RAM_BASE = 0x8000_0000L;
    public static final int RAM_SIZE = 1 << 20;

    public final FakeHarts harts;
    public final FakeTime time = new FakeTime();
    public final FakeConsole console = new FakeConsole();
    public final SimpleCounters counters = new SimpleCounters();
    public final RecordingInterruptLine interrupt = new RecordingInterruptLine();
    public final GuestMemory memory = new FlatRam(RAM_BASE, RAM_SIZE);
    public final RecordingMachineControl control = new RecordingMachineControl();

    public DeviceContexts(int hartCount) {
        this.harts = new FakeHarts(hartCount);
    }

    public DeviceContext context(String instanceName, long base, long size, int interruptNumber) {
        InterruptLine line = interruptNumber == 0 ? asserted -> { } : interrupt;
        return new DeviceContext(instanceName, new AddressRange(base, size), interruptNumber, line, memory, time,
                harts, console, counters, control);
    }
}
