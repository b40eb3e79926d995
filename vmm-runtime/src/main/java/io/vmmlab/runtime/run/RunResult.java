package io.vmmlab.runtime.run;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CounterSnapshot;

/**
 * What one run produced.
 *
 * @param strategy the strategy that ran the guest (with its technique, such as {@code fullvirt/bt})
 * @param outcome how it ended
 * @param instructions guest instructions retired over all harts
 * @param wallNanos wall time of the run loop
 * @param counters every counter at the end
 */
public record RunResult(String strategy, GuestOutcome outcome, long instructions, long wallNanos,
                        CounterSnapshot counters) {

    /**
     * Returns guest instructions per wall-clock second.
     *
     * @return the rate, or 0 for an empty run
     */
    public double instructionsPerSecond() {
        return wallNanos == 0 ? 0 : instructions * 1e9 / wallNanos;
    }
}
