package io.vmmlab.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every strategy's hot-path benchmark shares: JMH settings and the two iteration counts. Each operation is one
 * whole VM run (see {@link GuestWorkload}); run it at both iteration counts and divide the difference in time by the
 * difference in the path's events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class HotPathBenchmark {
    /** Iterations of the workload per operation. */
    @Param({"10000", "40000"})
    public int iterations;

    /**
     * Describes one operation of this benchmark at the current iteration count and checks it passes once.
     *
     * @param strategy {@code NAME} or {@code NAME/TECHNIQUE}
     * @param workload the bundled kernel's workload
     * @return the operation
     */
    protected GuestWorkload workload(String strategy, String workload) {
        return new GuestWorkload(strategy, workload, iterations);
    }
}
