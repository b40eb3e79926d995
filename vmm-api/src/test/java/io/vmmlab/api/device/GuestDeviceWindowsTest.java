package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleMmioBus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class GuestDeviceWindowsTest {
    private static final AddressRange RAM = new AddressRange(0x8000_0000L, 0x100_0000L);

    @Test
    void aGuestReachesWholeRegistersOfItsDevicesButNotTheClintNorWindowsOverRam() {
        SimpleMmioBus bus = new SimpleMmioBus();
        GuestDeviceWindows windows = new GuestDeviceWindows(bus, List.of(RAM));
        bus.map("clint", new AddressRange(ClintRegisters.BASE, ClintRegisters.SIZE), new RecordingMmioDevice(0));
        bus.map("uart0", new AddressRange(0x1000_0000L, 0x100), new RecordingMmioDevice(0));
        bus.map("shadow", new AddressRange(0x8000_0000L, 0x1000), new RecordingMmioDevice(0));

        assertThat(windows.allows(0x1000_0000L, 1)).isTrue();
        assertThat(windows.allows(0x1000_00f8L, 8)).isTrue();
        assertThat(windows.allows(0x1000_00fcL, 8)).as("runs past the window").isFalse();
        assertThat(windows.allows(0x1000_0100L, 1)).as("no device").isFalse();
        assertThat(windows.allows(ClintRegisters.mtimecmp(0), 8)).isFalse();
        assertThat(windows.allows(ClintRegisters.msip(1), 4)).isFalse();
        assertThat(windows.allows(ClintRegisters.BASE + ClintRegisters.MTIME_OFFSET, 8)).isFalse();
        assertThat(windows.allows(0x8000_0000L, 4)).isFalse();
    }
}
