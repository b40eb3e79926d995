package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class DeviceAccessCountersTest {
    private final SimpleMmioBus bus = new SimpleMmioBus();
    private final SimpleCounters registry = new SimpleCounters();
    private final DeviceAccessCounters counters = new DeviceAccessCounters(registry, "mmio-exit",
            CostCategory.TRAP_ROUND_TRIP);

    DeviceAccessCountersTest() {
        bus.map("clint", new AddressRange(0x0200_0000L, 0x10000), new RecordingMmioDevice(0));
        bus.map("uart0", new AddressRange(0x1000_0000L, 0x100), new RecordingMmioDevice(0));
    }

    @Test
    void countsEachWindowAndDirectionApart() {
        counters.count(bus, 0x1000_0005L, false);
        counters.count(bus, 0x1000_0005L, false);
        counters.count(bus, 0x1000_0000L, true);
        counters.count(bus, 0x0200_bff8L, false);
        counters.count(bus, 0x0200_4000L, true);
        counters.count(bus, 0x0200_4008L, true);
        counters.count(bus, 0x0200_4010L, true);

        CounterSnapshot snapshot = registry.snapshot();
        assertThat(snapshot.get("mmio-exit", "uart0-read")).isEqualTo(2);
        assertThat(snapshot.get("mmio-exit", "uart0-write")).isEqualTo(1);
        assertThat(snapshot.get("mmio-exit", "clint-read")).isEqualTo(1);
        assertThat(snapshot.get("mmio-exit", "clint-write")).isEqualTo(3);
        assertThat(snapshot.total("mmio-exit")).isEqualTo(7);
        assertThat(snapshot.events(CostCategory.TRAP_ROUND_TRIP)).isEqualTo(7);
    }

    @Test
    void registersOnlyTheDirectionsThatWereUsed() {
        counters.count(bus, 0x1000_0005L, false);
        counters.count(bus, 0x0200_4000L, true);

        assertThat(registry.snapshot().values().keySet())
                .extracting(key -> key.group() + "." + key.reason())
                .containsExactlyInAnyOrder("mmio-exit.uart0-read", "mmio-exit.clint-write");
    }

    @Test
    void countsAnAddressOutsideEveryWindowAsUnmapped() {
        counters.count(bus, 0x1000_0100L, false);
        counters.count(bus, 0x0fff_ffffL, true);
        counters.count(bus, 0x0fff_fff8L, true);

        CounterSnapshot snapshot = registry.snapshot();
        assertThat(snapshot.get("mmio-exit", "unmapped-read")).isEqualTo(1);
        assertThat(snapshot.get("mmio-exit", "unmapped-write")).isEqualTo(2);
        assertThat(snapshot.total("mmio-exit")).isEqualTo(3);
    }
}
