package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CounterSnapshot;

import java.util.List;
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
 * @param fixedPart the counters of the same workload under the same strategy with zero iterations (boot, the
 *                  program's start, its setup, its result line, power-off): what the run costs whatever its length,
 *                  subtracted from it for overheads; empty when not measured
 * @param wallRuns the wall times of every run of the cell when it ran more than once ({@code vmm compare --repeat}),
 *                 in the order they ran, {@code wallNanos} being their median; empty for a single run
 */
public record Cell(String workload, String strategy, Optional<String> failure, long instructions, long wallNanos,
                   CounterSnapshot counters, Optional<CounterSnapshot> fixedPart, List<Long> wallRuns) {

    /** Checks nothing is missing and freezes the wall times. */
    public Cell {
        Objects.requireNonNull(workload, "workload is null");
        Objects.requireNonNull(strategy, "strategy is null");
        Objects.requireNonNull(failure, "failure is null");
        Objects.requireNonNull(counters, "counters is null");
        Objects.requireNonNull(fixedPart, "fixedPart is null");
        wallRuns = List.copyOf(Objects.requireNonNull(wallRuns, "wallRuns is null"));
    }

    /**
     * A cell of one run.
     *
     * @param workload the workload
     * @param strategy the strategy's label
     * @param failure why the cell has no valid measurement, or empty
     * @param instructions guest instructions retired
     * @param wallNanos wall time
     * @param counters every counter of the run
     * @param fixedPart the zero-iteration run's counters, or empty
     */
    public Cell(String workload, String strategy, Optional<String> failure, long instructions, long wallNanos,
                CounterSnapshot counters, Optional<CounterSnapshot> fixedPart) {
        this(workload, strategy, failure, instructions, wallNanos, counters, fixedPart, List.of());
    }

    /**
     * A cell without a measured fixed part.
     *
     * @param workload the workload
     * @param strategy the strategy's label
     * @param failure why the cell has no valid measurement, or empty
     * @param instructions guest instructions retired
     * @param wallNanos wall time
     * @param counters every counter of the run
     */
    public Cell(String workload, String strategy, Optional<String> failure, long instructions, long wallNanos,
                CounterSnapshot counters) {
        this(workload, strategy, failure, instructions, wallNanos, counters, Optional.empty());
    }

    /**
     * Returns this cell with its fixed part measured.
     *
     * @param counters the zero-iteration run's counters
     * @return the new cell
     */
    public Cell withFixedPart(CounterSnapshot counters) {
        return new Cell(workload, strategy, failure, instructions, wallNanos, this.counters, Optional.of(counters),
                wallRuns);
    }

    /**
     * Returns this cell measured by several runs: its wall time becomes their median (the mean of the middle two for
     * an even count, rounded down), and the runs are kept.
     *
     * @param runs the wall times of every run, in the order they ran (at least one)
     * @return the new cell
     */
    public Cell withWallRuns(List<Long> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Long> sorted = runs.stream().sorted().toList();
        int middle = sorted.size() / 2;
        long median = sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1) + (sorted.get(middle) - sorted.get(middle - 1)) / 2;
        return new Cell(workload, strategy, failure, instructions, median, counters, fixedPart,
                runs.size() > 1 ? runs : List.of());
    }

    /**
     * Returns this cell as failed, keeping what its first run counted (as a cell that failed its check does; like
     * such a cell it has no fixed part, which only passing cells' overheads use).
     *
     * @param reason why, in a few words
     * @return the new cell
     */
    public Cell failing(String reason) {
        return new Cell(workload, strategy, Optional.of(reason), instructions, wallNanos, counters, Optional.empty(),
                List.of());
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
