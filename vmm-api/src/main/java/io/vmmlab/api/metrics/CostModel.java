package io.vmmlab.api.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices events in modeled CPU cycles, apart from emulation, so the same counters can be re-priced under
 * another model without re-running the guest.
 *
 * @param name the model's name, such as {@code "pentium4-2006"}
 * @param source where the figures come from (a citation), shown in reports
 * @param cyclesPerEvent cycles charged for one event of each category; missing categories cost nothing
 */
public record CostModel(String name, String source, Map<CostCategory, Double> cyclesPerEvent) {

    /** Copies the prices so the model is immutable. */
    public CostModel {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(source, "source is null");
        Map<CostCategory, Double> copy = new EnumMap<>(CostCategory.class);
        copy.putAll(cyclesPerEvent);
        copy.values().forEach(cycles -> {
            if (cycles < 0 || cycles.isNaN() || cycles.isInfinite()) {
                throw new IllegalArgumentException("cost must be a finite non-negative number: " + cycles);
            }
        });
        cyclesPerEvent = Map.copyOf(copy);
    }

    /**
     * Returns the price of one event of a category.
     *
     * @param category the category
     * @return cycles per event, zero when the model does not price it
     */
    public double cycles(CostCategory category) {
        return cyclesPerEvent.getOrDefault(category, 0.0);
    }

    /**
     * Prices a whole run.
     *
     * @param counters the run's counters
     * @return modeled cycles
     */
    public double modeledCycles(CounterSnapshot counters) {
        double total = 0;
        for (CostCategory category : CostCategory.values()) {
            total += counters.events(category) * cycles(category);
        }
        return total;
    }
}
