package io.vmmlab.hwassist.exit;

import io.vmmlab.api.device.DeviceAccessCounters;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;

import java.util.HashMap;
import java.util.Map;

/**
 * The hwassist counters: VM exits by reason (group {@code exit}, priced as {@link CostCategory#VM_EXIT}), device
 * accesses emulated per device and direction ({@code mmio-exit}, informational: the exit is counted as
 * {@code exit.guest-page-fault} and the emulation by the device's own {@code mmio} counter), SBI calls per extension
 * ({@code sbi}, informational: the exit is already counted) and guest-page faults by outcome
 * ({@code guest-page-fault}).
 */
public final class ExitCounters {
    private final Counters counters;
    private final Map<String, Counter> exits = new HashMap<>();
    private final DeviceAccessCounters mmio;
    private final Map<String, Counter> sbi = new HashMap<>();
    private final Map<String, Counter> guestPageFaults = new HashMap<>();

    /**
     * Creates the counters.
     *
     * @param counters the machine's registry
     */
    public ExitCounters(Counters counters) {
        this.counters = counters;
        this.mmio = new DeviceAccessCounters(counters, "mmio-exit", CostCategory.NONE);
    }

    /**
     * Counts one VM exit.
     *
     * @param reason such as {@code vs-ecall} or {@code guest-page-fault}
     */
    public void exit(String reason) {
        exits.computeIfAbsent(reason, key -> counters.counter("exit", key, CostCategory.VM_EXIT)).increment();
    }

    /**
     * Counts one emulated device access, as {@code <window>-read} or {@code <window>-write}.
     *
     * @param bus the bus the access went to
     * @param guestPhysical its address
     * @param store true for a write
     */
    public void mmio(MmioBus bus, long guestPhysical, boolean store) {
        mmio.count(bus, guestPhysical, store);
    }

    /**
     * Counts one SBI call.
     *
     * @param extension the extension's report name
     */
    public void sbi(String extension) {
        sbi.computeIfAbsent(extension, key -> counters.counter("sbi", key, CostCategory.NONE)).increment();
    }

    /**
     * Counts one guest-page fault by what the VMM did with it.
     *
     * @param outcome {@code mmio} or {@code access-fault}
     */
    public void guestPageFault(String outcome) {
        guestPageFaults.computeIfAbsent(outcome, key -> counters.counter("guest-page-fault", key, CostCategory.NONE))
                .increment();
    }
}
