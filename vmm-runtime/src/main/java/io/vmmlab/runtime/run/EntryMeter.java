package io.vmmlab.runtime.run;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.runtime.metrics.MachineCounters;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gives each entry into the VMM the events counted while the VMM handled it, by cost category: the entry's own (a
 * trap round trip, a VM exit, a hypercall, a callout, an SBI call natively) and its work (an emulated device access, a
 * shadow fill or flush). An entry is open from its report until the VMM has handled it; one reported while another is
 * open (a fault bt delivers while it resumes after an exit) is that entry's alone, and the outer one goes on after it.
 * Never an entry's: guest instructions (the hart adds them up as it runs), and binary translation's translations and
 * jump lookups, which belong to the code the guest reaches, whether through an entry or a jump (bt translates the block
 * it resumes at when it is new, so the block's first entry would otherwise carry its translation).
 */
final class EntryMeter {
    private static final CostCategory[] CATEGORIES = CostCategory.values();
    private static final Set<CostCategory> NOT_ENTRIES = EnumSet.of(CostCategory.INSTRUCTION, CostCategory.TRANSLATION,
            CostCategory.TRANSLATED_JUMP);

    private final Deque<Open> open = new ArrayDeque<>();
    private final long[] now = new long[CATEGORIES.length];
    private Consumer<long[]> totals = totals -> {
        // not metered: every entry's events stay zero
    };

    /**
     * Reads the counters from now on.
     *
     * @param counters the run's counters
     */
    void readFrom(MachineCounters counters) {
        totals = counters::eventsByCategory;
    }

    /**
     * Opens an entry: events counted from now until it closes are added to its place's.
     *
     * @param place the place's events, by {@link CostCategory#ordinal()}
     */
    void open(long[] place) {
        totals.accept(now);
        Open outer = open.peek();
        if (outer != null) {
            attribute(outer);
        }
        open.push(new Open(place, now.clone()));
    }

    /** Closes the entry opened last, if any; the one it was opened in goes on from now. */
    void close() {
        Open entry = open.poll();
        if (entry == null) {
            return;
        }
        totals.accept(now);
        attribute(entry);
        Open outer = open.peek();
        if (outer != null) {
            System.arraycopy(now, 0, outer.mark(), 0, now.length);
        }
    }

    /** Closes every open entry. */
    void closeAll() {
        while (!open.isEmpty()) {
            close();
        }
    }

    /** Adds what was counted since the entry's mark (read into {@link #now}) to its place, and moves the mark. */
    private void attribute(Open entry) {
        for (int category = 0; category < now.length; category++) {
            if (!NOT_ENTRIES.contains(CATEGORIES[category])) {
                entry.place()[category] += now[category] - entry.mark()[category];
            }
        }
        System.arraycopy(now, 0, entry.mark(), 0, now.length);
    }

    /** An open entry: its place's events and the counters' totals when it last went on. */
    private record Open(long[] place, long[] mark) {
    }
}
