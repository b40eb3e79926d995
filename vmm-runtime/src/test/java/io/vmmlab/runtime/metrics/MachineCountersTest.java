package io.vmmlab.runtime.metrics;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

final class MachineCountersTest {
    private final MachineCounters counters = new MachineCounters();

    @Test
    void returnsTheSameCounterForTheSameKey() {
        Counter first = counters.counter("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP);
        Counter second = counters.counter("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP);

        assertThat(second).isSameAs(first);
        assertThat(first.key()).isEqualTo(new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP));
    }

    @Test
    void returnsDistinctCountersForDistinctReasons() {
        Counter write = counters.counter("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP);
        Counter read = counters.counter("exit", "mmio-read", CostCategory.TRAP_ROUND_TRIP);

        assertThat(read).isNotSameAs(write);
    }

    @Test
    void refusesTheSameKeyWithAnotherCategory() {
        counters.counter("exit", "ecall", CostCategory.TRAP_ROUND_TRIP);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> counters.counter("exit", "ecall", CostCategory.HYPERCALL))
                .withMessage("counter exit.ecall is registered as TRAP_ROUND_TRIP, not HYPERCALL");
    }

    @Test
    void snapshotHoldsEveryValue() {
        counters.counter("cpu", "instructions", CostCategory.INSTRUCTION).add(1_000);
        Counter writes = counters.counter("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP);
        writes.increment();
        writes.increment();
        counters.counter("exit", "unused", CostCategory.TRAP_ROUND_TRIP);

        CounterSnapshot snapshot = counters.snapshot();

        assertThat(snapshot.values()).containsOnly(
                entry(new CounterKey("cpu", "instructions", CostCategory.INSTRUCTION), 1_000L),
                entry(new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP), 2L),
                entry(new CounterKey("exit", "unused", CostCategory.TRAP_ROUND_TRIP), 0L));
        assertThat(snapshot.total("exit")).isEqualTo(2);
        assertThat(snapshot.events(CostCategory.INSTRUCTION)).isEqualTo(1_000);
    }

    @Test
    void snapshotIsACopy() {
        Counter counter = counters.counter("g", "r", CostCategory.NONE);
        counter.add(5);

        CounterSnapshot before = counters.snapshot();
        counter.add(5);

        assertThat(before.get("g", "r")).isEqualTo(5);
        assertThat(counters.snapshot().get("g", "r")).isEqualTo(10);
    }

    @Test
    void anEmptyRegistryHasAnEmptySnapshot() {
        assertThat(counters.snapshot().values()).isEmpty();
    }
}
