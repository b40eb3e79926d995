package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleMmioBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class MmioBusTest {
    @Test
    void mappingAtFindsTheWindowThatCoversAnAddressAndNothingOutsideIt() {
        SimpleMmioBus bus = new SimpleMmioBus();
        bus.map("clint", new AddressRange(0x0200_0000L, 0x10000), new RecordingMmioDevice(0));
        bus.map("uart0", new AddressRange(0x1000_0000L, 0x100), new RecordingMmioDevice(0));

        assertThat(bus.mappingAt(0x1000_0000L)).map(MmioBus.Mapping::name).hasValue("uart0");
        assertThat(bus.mappingAt(0x1000_00ffL)).map(MmioBus.Mapping::name).hasValue("uart0");
        assertThat(bus.mappingAt(0x0200_bff8L)).map(MmioBus.Mapping::name).hasValue("clint");
        assertThat(bus.mappingAt(0x1000_0100L)).isEmpty();
        assertThat(bus.mappingAt(0x0fff_ffffL)).isEmpty();
    }
}
