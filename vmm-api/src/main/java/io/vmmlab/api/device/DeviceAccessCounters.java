package io.vmmlab.api.device;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;

import java.util.Arrays;

/**
 * Counters of the device accesses a VMM emulated, one per device window and direction, named
 * {@code <window>-read} and {@code <window>-write} in one group ({@code unmapped-read} and {@code unmapped-write} for
 * an address outside every window), each registered at its first access. Found by the window, not by a name built per
 * access: a hardware-assisted guest's serial console makes thousands of such exits on the way to Linux's init, and
 * building the name each time cost more than the rest of the counting. Harts on several threads may count at once:
 * the windows seen so far are an array replaced whole when a new one appears, and the registry hands out the same
 * counter for the same name (increments are as racy as every counter's, by design).
 */
public final class DeviceAccessCounters {
    private final Counters counters;
    private final String group;
    private final CostCategory category;
    private final Window unmapped = new Window(null, "unmapped");
    private volatile Window[] windows = new Window[0];

    /**
     * Creates the counters.
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
        window(bus.mappingAt(address).orElse(null)).counter(store).increment();
    }

    private Window window(MmioBus.Mapping mapping) {
        if (mapping == null) {
            return unmapped;
        }
        for (Window window : windows) {
            if (window.mapping == mapping) {
                return window;
            }
        }
        synchronized (this) {
            Window[] seen = windows;
            for (Window window : seen) {
                if (window.mapping == mapping) {
                    return window;
                }
            }
            Window added = new Window(mapping, mapping.name());
            Window[] grown = Arrays.copyOf(seen, seen.length + 1);
            grown[seen.length] = added;
            windows = grown;
            return added;
        }
    }

    /** One device window's two counters, registered at their first use. */
    private final class Window {
        private final MmioBus.Mapping mapping;
        private final String name;
        private volatile Counter read;
        private volatile Counter write;

        Window(MmioBus.Mapping mapping, String name) {
            this.mapping = mapping;
            this.name = name;
        }

        Counter counter(boolean store) {
            Counter counter = store ? write : read;
            if (counter == null) {
                // String.concat: a + would bootstrap a call site at the first access.
                counter = counters.counter(group, name.concat(store ? "-write" : "-read"), category);
                if (store) {
                    write = counter;
                } else {
                    read = counter;
                }
            }
            return counter;
        }
    }
}
