package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hot paths of native. The baseline: the same workloads on the bare board, so each strategy's figures have a
 * reference.
 */
public class NativeBenchmark extends HotPathBenchmark {
    private static final String STRATEGY = "native";

    private GuestWorkload systemCallRun;
    private GuestWorkload pageFaultRun;
    private GuestWorkload privilegedRegisterRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        systemCallRun = workload(STRATEGY, "nullcall");
        pageFaultRun = workload(STRATEGY, "pagefault");
        privilegedRegisterRun = workload(STRATEGY, "privreg");
    }

    /**
     * Boots, runs nullcall (system calls (one trap taken inside the guest each)), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult systemCall() {
        return systemCallRun.run();
    }

    /**
     * Boots, runs pagefault (page faults handled by the guest kernel natively), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult pageFault() {
        return pageFaultRun.run();
    }

    /**
     * Boots, runs privreg (privileged-register writes executed natively), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult privilegedRegister() {
        return privilegedRegisterRun.run();
    }
}
