package io.vmmlab.devices;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;

import static java.util.Objects.requireNonNull;

/**
 * The two counters every device keeps: register reads and writes, in group {@code "mmio"} with reasons
 * {@code "<instance>-read"} and {@code "<instance>-write"}, priced as {@link CostCategory#MMIO_EMULATION}.
 */
public final class MmioAccessCounters {
    /** The counter group of every device access. */
    public static final String GROUP = "mmio";

    private final Counter reads;
    private final Counter writes;

    /**
     * Registers the counters of one device instance.
     *
     * @param counters the machine's counters
     * @param instanceName the device instance, such as {@code "uart0"}
     */
    public MmioAccessCounters(Counters counters, String instanceName) {
        requireNonNull(counters, "counters is null");
        requireNonNull(instanceName, "instanceName is null");
        this.reads = counters.counter(GROUP, instanceName + "-read", CostCategory.MMIO_EMULATION);
        this.writes = counters.counter(GROUP, instanceName + "-write", CostCategory.MMIO_EMULATION);
    }

    /** Counts one register read. */
    public void read() {
        reads.increment();
    }

    /** Counts one register write. */
    public void write() {
        writes.increment();
    }
}
