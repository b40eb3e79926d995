package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hot paths of paravirt. Paravirtualization through the documented hypercall ABI.
 */
public class ParaVirtBenchmark extends HotPathBenchmark {
    private static final String STRATEGY = "paravirt";

    private GuestWorkload hypercallRun;
    private GuestWorkload pageTableHypercallRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        hypercallRun = workload(STRATEGY, "nullcall");
        pageTableHypercallRun = workload(STRATEGY, "ptmod");
    }

    /**
     * Boots, runs nullcall (hypercalls: each system call is bounced and returns through a hypercall), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult hypercall() {
        return hypercallRun.run();
    }

    /**
     * Boots, runs ptmod (page-table update hypercalls (validated, batched)), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult pageTableHypercall() {
        return pageTableHypercallRun.run();
    }
}
