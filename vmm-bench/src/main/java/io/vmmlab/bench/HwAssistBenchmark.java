package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hot paths of hwassist. Hardware assistance through the H extension.
 */
public class HwAssistBenchmark extends HotPathBenchmark {
    private static final String STRATEGY = "hwassist";

    private GuestWorkload guestPageFaultRun;
    private GuestWorkload pageFaultRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        guestPageFaultRun = workload(STRATEGY, "mmio");
        pageFaultRun = workload(STRATEGY, "pagefault");
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
