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
 * Hot paths of hwassist. Hardware assistance through the H extension. Each operation is one whole VM run (see {@link
 * GuestWorkload}); run it at both iteration counts and divide the difference in time by the difference in the path's
 * events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HwAssistBenchmark {
    private static final String STRATEGY = "hwassist";

    /** Iterations of the workload per operation. */
    @Param({"10000", "40000"})
    public int iterations;

    private GuestWorkload guestPageFaultRun;
    private GuestWorkload pageFaultRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        guestPageFaultRun = new GuestWorkload(STRATEGY, "mmio", iterations);
        pageFaultRun = new GuestWorkload(STRATEGY, "pagefault", iterations);
    }

    /**
     * Boots, runs mmio (guest-page faults: each device access from the guest is a G-stage fault the VMM emulates),
     * powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult guestPageFault() {
        return guestPageFaultRun.run();
    }

    /**
     * Boots, runs pagefault (guest page faults delegated to the guest under two-stage translation), powers off.
     *
     * @return the run, for JMH to consume
     */
    @Benchmark
    public ExperimentResult pageFault() {
        return pageFaultRun.run();
    }
}
