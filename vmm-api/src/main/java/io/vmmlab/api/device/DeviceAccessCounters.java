package io.vmmlab.api.device;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counters of the device accesses a VMM emulated, one per device window and direction, named
 * {@code <window>-read} and {@code <window>-write} in one group ({@code unmapped-read} and {@code unmapped-write} for
 * an address outside every window). Found by the window, not by a name built per access: a hardware-assisted guest's
 * serial console makes thousands of such exits on the way to Linux's init, and building the name each time (a string
 * concatenation whose first use also bootstraps its call site) cost more than the rest of the counting.
 */
public final class DeviceAccessCounters {
    private final Counters counters;
    private final String group;
    private final CostCategory category;
    private final Map<MmioBus.Mapping, Counter[]> byWindow = new IdentityHashMap<>();
    private Counter[] unmapped;

    /**
     * Creates the counters; each is registered at its first access.
     *
     * @param counters the machine's registry
     * @param group the counters' group, such as {@code mmio-exit}
     * @param category how a cost model prices one access
     */
    public DeviceAccessCounters(Counters counters, String group, CostCategory category) {
        this.counters = counters;
        this.group = group;
        this.category = category;
    }

    /**
     * Counts one access.
     *
     * @param bus the bus the access went to
     * @param address its address
     * @param store true for a write
     */
    public void count(MmioBus bus, long address, boolean store) {
        Optional<MmioBus.Mapping> window = bus.mappingAt(address);
        Counter[] pair;
        if (window.isPresent()) {
            pair = byWindow.computeIfAbsent(window.get(), mapping -> register(mapping.name()));
        } else {
            if (unmapped == null) {
                unmapped = register("unmapped");
            }
            pair = unmapped;
        }
        pair[store ? 1 : 0].increment();
    }

    private Counter[] register(String name) {
        return new Counter[] {
            counters.counter(group, name + "-read", category),
            counters.counter(group, name + "-write", category)
        };
    }
}
