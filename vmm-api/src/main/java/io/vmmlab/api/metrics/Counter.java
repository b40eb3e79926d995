package io.vmmlab.api.metrics;

import java.util.Objects;

/**
 * One event counter: a named plain {@code long}, cheap enough to bump on an emulation hot path.
 *
 * <p>Obtain counters once, at wiring time, from {@link Counters#counter}; then call {@link #increment()} where the
 * event happens. A counter belongs to one hart thread; cross-thread totals are summed when a report is taken.
 */
public final class Counter {
    private final CounterKey key;
    private long value;

    /**
     * Creates a counter at zero.
     *
     * @param key what the counter counts
     */
    public Counter(CounterKey key) {
        this.key = Objects.requireNonNull(key, "key is null");
    }

    /**
     * Returns what the counter counts.
     *
     * @return the key
     */
    public CounterKey key() {
        return key;
    }

    /** Adds one. */
    public void increment() {
        value++;
    }

    /**
     * Adds an amount.
     *
     * @param amount what to add
     */
    public void add(long amount) {
        value += amount;
    }

    /**
     * Returns the current count.
     *
     * @return the count
     */
    public long value() {
        return value;
    }
}
