package io.vmmlab.bench;

import io.vmmlab.runtime.experiment.ExperimentResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hot paths of fullvirt/trap. Trap-and-emulate full virtualization.
 */
public class FullVirtTrapBenchmark extends HotPathBenchmark {
    private static final String STRATEGY = "fullvirt/trap";

    private GuestWorkload trapEmulationRun;
    private GuestWorkload shadowFaultRun;

    /** Describes each operation and checks it passes once. */
    @Setup(Level.Trial)
    public void setUp() {
        trapEmulationRun = workload(STRATEGY, "privreg");
        shadowFaultRun = workload(STRATEGY, "pagefault");
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
