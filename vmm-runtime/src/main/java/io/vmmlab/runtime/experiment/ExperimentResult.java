package io.vmmlab.runtime.experiment;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterSnapshot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Experiment} produced: how the guest ended, its counters, their price under the experiment's cost
 * model, the guest's console output and the workload results it printed.
 *
 * @param strategy the strategy that ran, with its technique ({@code fullvirt/trap})
 * @param outcome how the run ended
 * @param instructions guest instructions retired over all harts
 * @param wallNanos wall time of the run loop
 * @param counters every counter at the end of the run
 * @param costModel the model {@link #modeledCycles()} uses
 * @param console everything the guest wrote to its console
 * @param workloads the {@code RESULT} lines the guest printed, in order
 */
public record ExperimentResult(String strategy, GuestOutcome outcome, long instructions, long wallNanos,
                               CounterSnapshot counters, CostModel costModel, String console,
                               List<WorkloadResult> workloads) {

    /** Checks nothing is missing and freezes the list. */
    public ExperimentResult {
        Objects.requireNonNull(strategy, "strategy is null");
        Objects.requireNonNull(outcome, "outcome is null");
        Objects.requireNonNull(counters, "counters is null");
        Objects.requireNonNull(costModel, "costModel is null");
        Objects.requireNonNull(console, "console is null");
        workloads = List.copyOf(workloads);
    }

    /**
     * Tells whether the guest powered off cleanly (exit code 0).
     *
     * @return true on a clean power-off
     */
    public boolean poweredOff() {
        return outcome.status() == GuestOutcome.Status.POWERED_OFF;
    }

    /**
     * Returns modeled cycles under the experiment's cost model.
     *
     * @return cycles
     */
    public double modeledCycles() {
        return costModel.modeledCycles(counters);
    }

    /**
     * Re-prices the same counters under another model, without running again.
     *
     * @param model the other model
     * @return cycles under that model
     */
    public double modeledCycles(CostModel model) {
        return model.modeledCycles(counters);
    }

    /**
     * Returns the number of events of a cost category (all exits priced as VM exits, all hypercalls ...).
     *
     * @param category the category
     * @return the count
     */
    public long events(CostCategory category) {
        return counters.events(category);
    }

    /**
     * Returns one counter.
     *
     * @param group the counter's group, such as {@code "trap-emulate"}
     * @param reason the reason inside the group, such as {@code "sret"}
     * @return its value, zero when the run never registered it
     */
    public long counter(String group, String reason) {
        return counters.get(group, reason);
    }

    /**
     * Returns the result line of one workload.
     *
     * @param name the workload, such as {@code "nullcall"}
     * @return its result, or empty when the guest printed none for it
     */
    public Optional<WorkloadResult> workload(String name) {
        return workloads.stream().filter(result -> result.name().equals(name)).findFirst();
    }

    /**
     * Returns guest instructions per second of wall time.
     *
     * @return the rate, zero for an empty run
     */
    public double instructionsPerSecond() {
        return wallNanos == 0 ? 0 : instructions * 1e9 / wallNanos;
    }
}
