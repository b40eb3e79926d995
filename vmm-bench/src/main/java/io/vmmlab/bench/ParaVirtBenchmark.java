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
 * Hot paths of paravirt. Paravirtualization through the documented hypercall ABI. Each operation is one whole VM run
 * (see {@link GuestWorkload}); run it at both iteration counts and divide the difference in time by the difference in
 * the path's events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParaVirtBenchmark {
    private static final String STRATEGY = "paravirt";

    /** Iterations of the workload per operation. */
    @Param({"10000", "40000"})
    public int iterations;

    private GuestWorkload hypercallRun;
    private GuestWorkload pageTableHypercallRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        hypercallRun = new GuestWorkload(STRATEGY, "nullcall", iterations);
        pageTableHypercallRun = new GuestWorkload(STRATEGY, "ptmod", iterations);
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
