package io.vmmlab.runtime.report;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class RunSummaryTest {

    private static String lines(String text) {
        return text.replace("\n", System.lineSeparator());
    }

    @Test
    void summarisesOutcomeRatesAndNonZeroCounters() {
        String summary = RunSummary.format(Reports.sampleRun(), Reports.COST_MODEL);

        assertThat(summary).isEqualTo(lines("""

                --- vmm: tohost: test passed (powered off)
                strategy        fullvirt/trap
                instructions    3,000,000 (2.0 million/s)
                wall time       1.500 s
                modeled cycles  3,000,210 (test-model)
                cpu             instructions 3,000,000
                exit            ecall 1, mmio-write 2
                """));
    }

    @Test
    void leavesOutZeroCounters() {
        String summary = RunSummary.format(Reports.sampleRun(), Reports.COST_MODEL);

        assertThat(summary).doesNotContain("tlb").doesNotContain("flush");
    }

    @Test
    void namesAFailureAndPrintsNoCounterLinesForAnEmptyRun() {
        RunResult result = new RunResult("native",
                new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, "tohost: test case 3 failed (tohost=0x7)"),
                0, 0, new CounterSnapshot(Map.of()));

        String summary = RunSummary.format(result, Reports.COST_MODEL);

        assertThat(summary).isEqualTo(lines("""

                --- vmm: tohost: test case 3 failed (tohost=0x7) (guest failed)
                strategy        native
                instructions    0 (0.0 million/s)
                wall time       0.000 s
                modeled cycles  0 (test-model)
                """));
    }
}
