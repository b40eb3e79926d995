package io.vmmlab.runtime.metrics;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.api.metrics.Counters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's counter registry. Registration is synchronized (it happens at wiring time); increments are plain
 * field updates on the {@link Counter} objects handed out.
 */
public final class MachineCounters implements Counters {
    private final Map<Name, Counter> counters = new LinkedHashMap<>();

    @Override
    public synchronized Counter counter(String group, String reason, CostCategory category) {
        CounterKey key = new CounterKey(group, reason, category);
        Counter counter = counters.computeIfAbsent(new Name(group, reason), name -> new Counter(key));
        if (counter.key().category() != category) {
            throw new IllegalArgumentException(String.format("counter %s is registered as %s, not %s",
                    key.qualifiedName(), counter.key().category(), category));
        }
        return counter;
    }

    @Override
    public synchronized CounterSnapshot snapshot() {
        Map<CounterKey, Long> values = new LinkedHashMap<>();
        counters.values().forEach(counter -> values.put(counter.key(), counter.value()));
        return new CounterSnapshot(values);
    }

    /**
     * Sums the counters by cost category, without a snapshot: cheap enough for an exit profile to read before and after
     * every entry into the VMM.
     *
     * @param totals where each category's events go, by {@link CostCategory#ordinal()} (overwritten)
     */
    public synchronized void eventsByCategory(long[] totals) {
        Arrays.fill(totals, 0);
        for (Counter counter : counters.values()) {
            totals[counter.key().category().ordinal()] += counter.value();
        }
    }

    /**
     * A counter's identity: group and reason, kept apart so dots in either cannot collide. Its own equals and
     * hashCode: a record's generated ones are bootstrapped at run time, generating classes (3-5 ms of start-up).
     */
    private record Name(String group, String reason) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Name name && name.group.equals(group) && name.reason.equals(reason);
        }

        @Override
        public int hashCode() {
            return group.hashCode() * 31 + reason.hashCode();
        }
    }
}
