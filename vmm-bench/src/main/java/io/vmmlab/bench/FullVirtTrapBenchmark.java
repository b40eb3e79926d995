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
 * Hot paths of fullvirt/trap. Trap-and-emulate full virtualization. Each operation is one whole VM run (see {@link
 * GuestWorkload}); run it at both iteration counts and divide the difference in time by the difference in the path's
 * events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FullVirtTrapBenchmark {
    private static final String STRATEGY = "fullvirt/trap";

    /** Iterations of the workload per operation. */
    @Param({"10000", "40000"})
    public int iterations;

    private GuestWorkload trapEmulationRun;
    private GuestWorkload shadowFaultRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        trapEmulationRun = new GuestWorkload(STRATEGY, "privreg", iterations);
        shadowFaultRun = new GuestWorkload(STRATEGY, "pagefault", iterations);
    }

    /**
     * Boots, runs privreg (trap emulation: each privileged-register write traps to the VMM and is emulated), powers
     * off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult trapEmulation() {
        return trapEmulationRun.run();
    }

    /**
     * Boots, runs pagefault (shadow faults: guest page faults fill the shadow page table lazily), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult shadowFault() {
        return shadowFaultRun.run();
    }
}
