package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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

        assertThat(exitsByReason()).containsOnly(entry("uart0-read", 2L), entry("uart0-write", 1L),
                entry("clint-read", 1L), entry("clint-write", 3L));
        assertThat(registry.snapshot().total("mmio-exit")).isEqualTo(7);
        assertThat(registry.snapshot().events(CostCategory.TRAP_ROUND_TRIP)).isEqualTo(7);
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

        assertThat(exitsByReason()).containsOnly(entry("unmapped-read", 1L), entry("unmapped-write", 2L));
        assertThat(registry.snapshot().total("mmio-exit")).isEqualTo(3);
    }

    /** The {@code mmio-exit} counters registered so far, by reason. */
    private Map<String, Long> exitsByReason() {
        Map<String, Long> byReason = new HashMap<>();
        registry.snapshot().values().forEach((key, value) -> {
            if (key.group().equals("mmio-exit")) {
                byReason.put(key.reason(), value);
            }
        });
        return byReason;
    }
}
