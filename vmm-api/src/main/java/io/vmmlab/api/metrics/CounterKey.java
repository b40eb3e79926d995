package io.vmmlab.api.metrics;

import java.util.Comparator;
import java.util.Objects;

/**
 * Names a counter: a group (such as {@code "exit"} or {@code "trap"}), a reason inside the group (such as
 * {@code "mmio-write"} or {@code "illegal-instruction"}), and the cost category a cost model prices it with.
 *
 * @param group what kind of event
 * @param reason which event of that kind
 * @param category how a cost model prices one event
 */
public record CounterKey(String group, String reason, CostCategory category) {
    /**
     * Orders keys by {@link #qualifiedName()}, as reports list them. A lambda of its own rather than
     * {@code Comparator.comparing}, whose serializable lambdas the JDK's start-up cache cannot hold (each is generated
     * at run time, a millisecond or two of a report).
     */
    public static final Comparator<CounterKey> BY_QUALIFIED_NAME =
            (first, second) -> first.qualifiedName().compareTo(second.qualifiedName());

    /** Checks the key is complete. */
    public CounterKey {
        Objects.requireNonNull(group, "group is null");
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(category, "category is null");
    }

    // equals and hashCode written out: a record's generated ones are bootstrapped on first use, generating classes
    // (about 10 ms at the end of every run, when the counters' snapshot hashes the keys).
    @Override
    public boolean equals(Object other) {
        return other instanceof CounterKey key && key.group.equals(group) && key.reason.equals(reason)
                && key.category == category;
    }

    @Override
    public int hashCode() {
        return (group.hashCode() * 31 + reason.hashCode()) * 31 + category.hashCode();
    }

    /**
     * Returns {@code group.reason}, the name used in reports.
     *
     * @return the qualified name
     */
    public String qualifiedName() {
        return group + "." + reason;
    }
}
