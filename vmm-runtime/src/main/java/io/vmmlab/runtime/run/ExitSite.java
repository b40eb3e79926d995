package io.vmmlab.runtime.run;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of an {@link ExitProfile}: how often the guest entered the VMM from one instruction for one reason, and
 * what the VMM counted while it handled those entries.
 *
 * @param pc the guest's address of the instruction (translated code mapped back, see
 *           {@link io.vmmlab.api.hypervisor.Hypervisor#guestPc})
 * @param reason why, such as {@code "illegal-instruction: csrrc sstatus"} or {@code "load-guest-page-fault"}
 * @param count how many times
 * @param events the events counted while the VMM handled them, by cost category (guest instructions never; a
 *               category with none left out): the entries' own, such as {@code trap_round_trip}, and their work
 */
public record ExitSite(long pc, String reason, long count, Map<CostCategory, Long> events) {
    /** Copies the events so the row is immutable. */
    public ExitSite {
        Objects.requireNonNull(reason, "reason is null");
        Map<CostCategory, Long> copy = new EnumMap<>(CostCategory.class);
        copy.putAll(events);
        events = Map.copyOf(copy);
    }

    /**
     * A row with no events counted.
     *
     * @param pc the guest's address of the instruction
     * @param reason why
     * @param count how many times
     */
    public ExitSite(long pc, String reason, long count) {
        this(pc, reason, count, Map.of());
    }

    /**
     * Prices the row's entries with a cost model, as the run's counters are priced.
     *
     * @param model the prices
     * @return the modeled cycles of the events counted while the VMM handled these entries
     */
    public double modeledCycles(CostModel model) {
        double cycles = 0;
        for (Map.Entry<CostCategory, Long> category : events.entrySet()) {
            cycles += category.getValue() * model.cycles(category.getKey());
        }
        return cycles;
    }
}
