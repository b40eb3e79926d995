package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hot paths of fullvirt/bt. Binary translation: sensitive instructions in translated guest-kernel blocks become
 * callouts.
 */
public class FullVirtBtBenchmark extends HotPathBenchmark {
    private static final String STRATEGY = "fullvirt/bt";

    private GuestWorkload calloutRun;
    private GuestWorkload shadowFaultRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        calloutRun = workload(STRATEGY, "privreg");
        shadowFaultRun = workload(STRATEGY, "pagefault");
    }

    /**
     * Boots, runs privreg (callouts: privileged-register writes become direct calls into the VMM), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult callout() {
        return calloutRun.run();
    }

    /**
     * Boots, runs pagefault (shadow faults under binary translation), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult shadowFault() {
        return shadowFaultRun.run();
    }
}
