package io.vmmlab.api.cpu;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

import java.util.Objects;

/**
 * What the board gives a hart: the physical address space (RAM and device windows), the platform time and the
 * machine's counters.
 *
 * @param memory RAM; the hart's fast path
 * @param mmio device windows; they take precedence over RAM where they overlay it
 * @param time the platform's {@code mtime}
 * @param counters where the hart reports instructions, traps and TLB activity
 */
public record HartResources(GuestMemory memory, MmioBus mmio, TimeSource time, Counters counters) {

    /** Checks nothing is missing. */
    public HartResources {
        Objects.requireNonNull(memory, "memory is null");
        Objects.requireNonNull(mmio, "mmio is null");
        Objects.requireNonNull(time, "time is null");
        Objects.requireNonNull(counters, "counters is null");
    }
}
