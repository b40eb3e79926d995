package io.vmmlab.runtime.compare;

/**
 * Hears which run of a comparison is starting, for a progress line.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Hears nothing. */
    ProgressListener SILENT = (number, total, workload, strategy) -> {
    };

    /**
     * Called before each run.
     *
     * @param number the run's number, from 1
     * @param total how many runs there are
     * @param workload the workload
     * @param strategy the strategy's label
     */
    void starting(int number, int total, String workload, String strategy);
}
