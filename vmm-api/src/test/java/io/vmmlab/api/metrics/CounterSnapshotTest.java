package io.vmmlab.api.metrics;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class CounterSnapshotTest {
    private final CounterSnapshot snapshot = new CounterSnapshot(Map.of(
            new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP), 7L,
            new CounterKey("exit", "mmio-read", CostCategory.TRAP_ROUND_TRIP), 5L,
            new CounterKey("exit", "ecall", CostCategory.HYPERCALL), 2L,
            new CounterKey("trap", "illegal-instruction", CostCategory.GUEST_TRAP), 11L));

    @Test
    void byQualifiedNameListsTheCountersInReportOrder() {
        assertThat(snapshot.byQualifiedName())
                .extracting(entry -> entry.getKey().qualifiedName() + "=" + entry.getValue())
                .containsExactly("exit.ecall=2", "exit.mmio-read=5", "exit.mmio-write=7",
                        "trap.illegal-instruction=11");
    }

    @Test
    void getReturnsOneCounter() {
        assertThat(snapshot.get("exit", "mmio-write")).isEqualTo(7);
        assertThat(snapshot.get("trap", "illegal-instruction")).isEqualTo(11);
    }

    @Test
    void getOfAnUnknownCounterIsZero() {
        assertThat(snapshot.get("exit", "nope")).isZero();
        assertThat(snapshot.get("nope", "mmio-write")).isZero();
    }

    @Test
    void totalSumsAGroup() {
        assertThat(snapshot.total("exit")).isEqualTo(14);
        assertThat(snapshot.total("trap")).isEqualTo(11);
        assertThat(snapshot.total("nope")).isZero();
    }

    @Test
    void eventsSumsACategoryAcrossGroups() {
        assertThat(snapshot.events(CostCategory.TRAP_ROUND_TRIP)).isEqualTo(12);
        assertThat(snapshot.events(CostCategory.HYPERCALL)).isEqualTo(2);
        assertThat(snapshot.events(CostCategory.GUEST_TRAP)).isEqualTo(11);
        assertThat(snapshot.events(CostCategory.VM_EXIT)).isZero();
    }

    @Test
    void isACopyOfTheMapItWasGiven() {
        Map<CounterKey, Long> values = new HashMap<>();
        CounterKey key = new CounterKey("g", "r", CostCategory.NONE);
        values.put(key, 1L);
        CounterSnapshot copy = new CounterSnapshot(values);

        values.put(key, 2L);

        assertThat(copy.get("g", "r")).isEqualTo(1);
    }

    @Test
    void counterKeyQualifiedNameJoinsGroupAndReason() {
        assertThat(new CounterKey("exit", "mmio-write", CostCategory.NONE).qualifiedName())
                .isEqualTo("exit.mmio-write");
    }

    @Test
    void counterCountsFromZero() {
        Counter counter = new Counter(new CounterKey("g", "r", CostCategory.NONE));

        counter.increment();
        counter.increment();
        counter.add(40);

        assertThat(counter.value()).isEqualTo(42);
    }
}
