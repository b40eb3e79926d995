package io.vmmlab.runtime.report;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which places (and functions) an exit profile lists first: those the VMM was entered from most often, or those whose
 * entries cost the most modeled cycles under the run's cost model (where the overhead is, rather than where the
 * entries are: one MMIO exit can cost as much as many trapped CSR accesses).
 */
public enum ExitProfileOrder {
    /** Most entries first (ties: lower address, then reason). */
    ENTRIES,
    /** Most modeled cycles first (ties: as {@link #ENTRIES}). */
    CYCLES;

    /**
     * Parses the command line's name.
     *
     * @param name {@code entries} or {@code cycles}
     * @return the order
     * @throws IllegalArgumentException with a one-line reason for another name
     */
    public static ExitProfileOrder parse(String name) {
        for (ExitProfileOrder order : values()) {
            if (order.displayName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return order;
            }
        }
        throw new IllegalArgumentException("--exit-profile-order takes entries or cycles, not '" + name + "'");
    }

    /** Returns the lower-case name: {@code entries} or {@code cycles}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns a profile's first places in this order.
     *
     * @param profile the run's profile
     * @param rows how many places at most
     * @param model prices the places' events (for {@link #CYCLES})
     * @return up to {@code rows} places
     */
    public List<ExitSite> places(ExitProfile profile, int rows, CostModel model) {
        if (this == ENTRIES) {
            return profile.top(rows);
        }
        List<ExitSite> sites = new ArrayList<>(profile.top(profile.places()));
        sites.sort((a, b) -> Double.compare(b.modeledCycles(model), a.modeledCycles(model))); // stable: ties by entries
        return List.copyOf(sites.subList(0, Math.min(Math.max(rows, 0), sites.size())));
    }

    /**
     * Puts functions in this order, in place.
     *
     * @param functions the functions, most entries first
     */
    void sortFunctions(List<ExitProfileTable.FunctionEntries> functions) {
        if (this == CYCLES) {
            functions.sort((a, b) -> Double.compare(b.modeledCycles(), a.modeledCycles())); // stable: ties by entries
        }
    }

    /** Describes the listed places for the table's first line, such as {@code "most frequent"}. */
    String listed() {
        return this == ENTRIES ? "most frequent" : "costliest";
    }
}
