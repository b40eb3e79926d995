package io.vmmlab.api.metrics;

/**
 * The registry of a machine's counters. Strategies, harts and devices register what they count here, once, at
 * wiring time, and report the same way under every strategy so runs can be compared.
 */
public interface Counters {

    /**
     * Returns the counter for a key, creating it at zero the first time.
     *
     * @param group what kind of event, such as {@code "exit"}
     * @param reason which event of that kind, such as {@code "mmio-write"}
     * @param category how a cost model prices one event
     * @return the counter; the same instance for the same group and reason
     * @throws IllegalArgumentException when the same group and reason were registered with another category
     */
    Counter counter(String group, String reason, CostCategory category);

    /**
     * Takes a consistent copy of every counter's value.
     *
     * @return the snapshot
     */
    CounterSnapshot snapshot();
}
