package io.vmmlab.runtime.report;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.run.RunResult;

import java.util.LinkedHashMap;
import java.util.Map;

/** A sample run and cost model shared by the report tests. */
final class Reports {
    static final CostModel COST_MODEL = new CostModel("test-model", "made up", Map.of(
            CostCategory.INSTRUCTION, 1.0, CostCategory.TRAP_ROUND_TRIP, 100.0, CostCategory.HYPERCALL, 10.0));

    private Reports() {
    }

    /** 3,000,000 instructions in 1.5 s; counters deliberately out of order, one of them zero. */
    static RunResult sampleRun() {
        Map<CounterKey, Long> counters = new LinkedHashMap<>();
        counters.put(new CounterKey("tlb", "flush", CostCategory.TLB_FLUSH), 0L);
        counters.put(new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP), 2L);
        counters.put(new CounterKey("cpu", "instructions", CostCategory.INSTRUCTION), 3_000_000L);
        counters.put(new CounterKey("exit", "ecall", CostCategory.HYPERCALL), 1L);
        return new RunResult("fullvirt/trap",
                new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "tohost: test passed"),
                3_000_000L, 1_500_000_000L, new CounterSnapshot(counters));
    }
}
