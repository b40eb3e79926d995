package io.vmmlab.api.testing;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.api.metrics.Counters;

import java.util.LinkedHashMap;
import java.util.Map;

/** A test fake: counters in a map. */
public final class SimpleCounters implements Counters {
    private final Map<String, Counter> counters = new LinkedHashMap<>();

    @Override
    public Counter counter(String group, String reason, CostCategory category) {
        return counters.computeIfAbsent(group + "\u0000" + reason, name -> new Counter(new CounterKey(group, reason, category)));
    }

    @Override
    public CounterSnapshot snapshot() {
        Map<CounterKey, Long> values = new LinkedHashMap<>();
        counters.values().forEach(counter -> values.put(counter.key(), counter.value()));
        return new CounterSnapshot(values);
    }
}
