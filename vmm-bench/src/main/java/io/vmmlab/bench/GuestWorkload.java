package io.vmmlab.bench;

import io.vmmlab.runtime.compare.GuestSuite;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;

import java.util.List;

/**
 * One benchmark operation: boot the bundled kernel under a strategy, run one workload for a number of iterations,
 * power off. The workload is chosen to exercise one hot path of the strategy (trap emulation, callout,
 * hypercall, shadow fault, guest-page fault); running it at two iteration counts and dividing the difference in
 * time by the difference in that path's events gives the path's cost, with the boot cancelled out.
 */
final class GuestWorkload {
    private final Plugins plugins;
    private final Experiment experiment;

    /**
     * Describes the operation and checks once that it runs and passes.
     *
     * @param strategy {@code NAME} or {@code NAME/TECHNIQUE}
     * @param workload the bundled kernel's workload
     * @param iterations its iteration count
     * @throws IllegalStateException when the strategy is not installed or the workload does not pass
     */
    GuestWorkload(String strategy, String workload, int iterations) {
        this.plugins = Plugins.discover();
        String[] parts = strategy.split("/", 2);
        if (!plugins.strategies().contains(parts[0])) {
            throw new IllegalStateException("strategy " + parts[0] + " is not installed; available: "
                    + plugins.strategies().all().stream().map(provider -> provider.name()).toList());
        }
        Experiment.Builder builder = Experiment.builder()
                .strategy(parts[0])
                .kernel(GuestSuite.bundled(List.of(workload), 1).kernelFor(plugins.strategies().require(parts[0])))
                .append("workloads=" + workload + " " + workload + "=" + iterations)
                .scratchDisk(4L << 20)
                .costModel(CostModelCatalog.presets().resolve(CostModelCatalog.DEFAULT));
        if (parts.length == 2) {
            builder.technique(parts[1]);
        }
        this.experiment = builder.build();
        ExperimentResult check = run();
        if (!check.poweredOff() || check.workload(workload).map(line -> !line.passed()).orElse(true)) {
            throw new IllegalStateException(strategy + " does not pass " + workload + ": "
                    + check.outcome().message());
        }
    }

    /**
     * Runs the operation once.
     *
     * @return the run's result (for the benchmark to consume)
     */
    ExperimentResult run() {
        return experiment.run(plugins);
    }
}
