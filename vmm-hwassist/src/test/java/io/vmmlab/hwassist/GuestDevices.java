package io.vmmlab.hwassist;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.uart.Ns16550aUart;

import java.util.List;

/**
 * The devices of one board in {@link NativeEquivalenceTest}: a real 16550A UART at {@link GuestPageLayout#UART}
 * (its output recorded) and a recording device at {@link GuestPageLayout#DEVICE} that answers every read with
 * {@link #READ_VALUE}. Each run, native or under the VMM, gets its own.
 */
final class GuestDevices {
    static final long READ_VALUE = 0x8877_6655_4433_2281L;

    final RecordingConsole console = new RecordingConsole();
    final RecordingMmioDevice device = new RecordingMmioDevice(READ_VALUE);

    /** Maps the devices on a board. */
    void mapOn(FakeMachine machine) {
        machine.mmio().map("uart0", new AddressRange(GuestPageLayout.UART, 0x100), new Ns16550aUart("uart0",
                new AddressRange(GuestPageLayout.UART, 0x100), 10, asserted -> { }, console,
                new MmioAccessCounters(machine.counters(), "uart0")));
        machine.mmio().map("dev", new AddressRange(GuestPageLayout.DEVICE, 0x100), device);
    }

    List<RecordingMmioDevice.Access> writes() {
        return device.writes();
    }
}
