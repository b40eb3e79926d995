package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CounterSnapshot;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One workload under one strategy: the measurement, or why there is none.
 *
 * @param workload the workload
 * @param strategy the strategy's label ({@code fullvirt/trap})
 * @param failure why the cell has no valid measurement ({@code not installed}, {@code technique unknown ...},
 *                {@code check=FAIL ...}, the run's outcome), or empty when the workload ran and passed its check
 * @param instructions guest instructions retired in the run (zero when nothing ran)
 * @param wallNanos wall time of the run
 * @param counters every counter of the run (empty when nothing ran)
 */
public record Cell(String workload, String strategy, Optional<String> failure, long instructions, long wallNanos,
                   CounterSnapshot counters) {

    /** Checks nothing is missing. */
    public Cell {
        Objects.requireNonNull(workload, "workload is null");
        Objects.requireNonNull(strategy, "strategy is null");
        Objects.requireNonNull(failure, "failure is null");
        Objects.requireNonNull(counters, "counters is null");
    }

    /**
     * Creates a cell for a run that did not happen or did not pass.
     *
     * @param workload the workload
     * @param strategy the strategy's label
     * @param reason why, in a few words
     * @return the cell
     */
    public static Cell failed(String workload, String strategy, String reason) {
        return new Cell(workload, strategy, Optional.of(reason), 0, 0, new CounterSnapshot(Map.of()));
    }

    /**
     * Tells whether the cell holds a valid measurement.
     *
     * @return true when the workload ran and passed its check
     */
    public boolean ok() {
        return failure.isEmpty();
    }
}
