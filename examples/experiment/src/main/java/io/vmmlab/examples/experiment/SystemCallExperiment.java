package io.vmmlab.examples.experiment;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What does one null system call cost under each strategy? Runs the bundled kernel's {@code nullcall} workload
 * with two iteration counts under native, full virtualization (trap-and-emulate) and paravirtualization, and
 * divides the difference by the difference in iterations, so the fixed cost of booting cancels out. Prices the
 * same counters under two cost models without running again.
 */
public final class SystemCallExperiment {
    /** One strategy's figures per system call. */
    public record PerCall(String strategy, double instructions, double trapRoundTrips, double hypercalls,
                          double guestTraps, double pentium4Cycles, double riscvCycles) {
    }

    private static final String[][] STRATEGIES = {
        {"native", "", "bundled:kernel-native"},
        {"fullvirt", "trap", "bundled:kernel-native"},
        {"paravirt", "", "bundled:kernel-pv"},
    };

    private SystemCallExperiment() {
    }

    /**
     * Prints the cost of one null system call under each strategy.
     *
     * @param args optionally the larger iteration count (default 4000)
     */
    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        System.out.printf(Locale.ROOT, "%-14s %12s %10s %10s %10s %14s %14s%n", "strategy", "instructions",
                "traps", "hypercalls", "guest-trap", "P4 cycles", "RISC-V cycles");
        for (PerCall call : measure(iterations)) {
            System.out.printf(Locale.ROOT, "%-14s %12.1f %10.2f %10.2f %10.2f %14.0f %14.0f%n", call.strategy(),
                    call.instructions(), call.trapRoundTrips(), call.hypercalls(), call.guestTraps(),
                    call.pentium4Cycles(), call.riscvCycles());
        }
    }

    /**
     * Measures every strategy.
     *
     * @param iterations the larger iteration count; the smaller is half of it
     * @return one figure per strategy, per system call
     */
    public static List<PerCall> measure(int iterations) {
        CostModelCatalog catalog = CostModelCatalog.presets();
        CostModel pentium4 = catalog.resolve("pentium4-2006");
        CostModel riscv = catalog.resolve("riscv-rocket-h");
        List<PerCall> calls = new ArrayList<>();
        for (String[] strategy : STRATEGIES) {
            ExperimentResult small = run(strategy, iterations / 2, pentium4);
            ExperimentResult large = run(strategy, iterations, pentium4);
            double calls2 = iterations - iterations / 2;
            calls.add(new PerCall(large.strategy(),
                    (large.instructions() - small.instructions()) / calls2,
                    difference(small, large, CostCategory.TRAP_ROUND_TRIP) / calls2,
                    difference(small, large, CostCategory.HYPERCALL) / calls2,
                    difference(small, large, CostCategory.GUEST_TRAP) / calls2,
                    (large.modeledCycles() - small.modeledCycles()) / calls2,
                    (large.modeledCycles(riscv) - small.modeledCycles(riscv)) / calls2));
        }
        return calls;
    }

    private static double difference(ExperimentResult small, ExperimentResult large, CostCategory category) {
        return large.events(category) - small.events(category);
    }

    private static ExperimentResult run(String[] strategy, int iterations, CostModel model) {
        Experiment.Builder builder = Experiment.builder()
                .strategy(strategy[0])
                .kernel(strategy[2])
                .append("workloads=nullcall nullcall=" + iterations)
                .costModel(model);
        if (!strategy[1].isEmpty()) {
            builder.technique(strategy[1]);
        }
        ExperimentResult result = builder.build().run();
        if (!result.poweredOff() || result.workload("nullcall").map(line -> !line.passed()).orElse(true)) {
            throw new IllegalStateException(result.strategy() + ": nullcall did not pass: "
                    + result.outcome().message());
        }
        return result;
    }
}
