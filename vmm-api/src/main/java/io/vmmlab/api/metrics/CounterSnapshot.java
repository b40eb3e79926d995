package io.vmmlab.api.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values of a machine's counters at one moment.
 *
 * @param values each counter's value by key
 */
public record CounterSnapshot(Map<CounterKey, Long> values) {

    /** Copies the map so the snapshot is immutable. */
    public CounterSnapshot {
        values = Map.copyOf(values);
    }

    /**
     * Returns the counters in the order reports list them: by {@link CounterKey#BY_QUALIFIED_NAME}.
     *
     * @return the entries, sorted
     */
    public List<Map.Entry<CounterKey, Long>> byQualifiedName() {
        List<Map.Entry<CounterKey, Long>> entries = new ArrayList<>(values.entrySet());
        entries.sort((one, other) -> CounterKey.BY_QUALIFIED_NAME.compare(one.getKey(), other.getKey()));
        return List.copyOf(entries);
    }

    /**
     * Returns a counter's value by group and reason, or zero when it was never registered.
     *
     * @param group the group
     * @param reason the reason
     * @return the value
     */
    public long get(String group, String reason) {
        return values.entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(group) && entry.getKey().reason().equals(reason))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * Returns the sum of a group's counters.
     *
     * @param group the group
     * @return the sum
     */
    public long total(String group) {
        return values.entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(group))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * Returns the number of events in a cost category.
     *
     * @param category the category
     * @return the sum over that category's counters
     */
    public long events(CostCategory category) {
        return values.entrySet().stream()
                .filter(entry -> entry.getKey().category() == category)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
