package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Hot paths of native. The baseline: the same workloads on the bare board, so each strategy's figures have a
 * reference. Each operation is one whole VM run (see {@link GuestWorkload}); run it at both iteration counts and
 * divide the difference in time by the difference in the path's events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NativeBenchmark {
    private static final String STRATEGY = "native";

    /** Iterations of the workload per operation. */
    @Param({"10000", "40000"})
    public int iterations;

    private GuestWorkload systemCallRun;
    private GuestWorkload pageFaultRun;
    private GuestWorkload privilegedRegisterRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        systemCallRun = new GuestWorkload(STRATEGY, "nullcall", iterations);
        pageFaultRun = new GuestWorkload(STRATEGY, "pagefault", iterations);
        privilegedRegisterRun = new GuestWorkload(STRATEGY, "privreg", iterations);
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
