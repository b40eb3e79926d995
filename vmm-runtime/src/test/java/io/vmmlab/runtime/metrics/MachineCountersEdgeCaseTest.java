package io.vmmlab.runtime.metrics;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class MachineCountersEdgeCaseTest {

    @Test
    void groupsAndReasonsWithDotsDoNotCollide() {
        MachineCounters counters = new MachineCounters();
        counters.counter("exit.sbi", "ecall", CostCategory.HYPERCALL);

        Counter other = counters.counter("exit", "sbi.ecall", CostCategory.HYPERCALL);

        assertThat(other.key()).isEqualTo(new CounterKey("exit", "sbi.ecall", CostCategory.HYPERCALL));
    }
}
