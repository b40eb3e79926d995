package io.vmmlab.runtime.report;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.bootstrap.CostModels;
import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of an exit profile: its most frequent places, each with its count, share of all entries into the VMM, modeled
 * cycles and their share of the run's, guest address, the symbol it falls in and the reason; then, when symbols name
 * the addresses, the entries and cycles summed by symbol. A place's cycles price, with the run's cost model, the events
 * the VMM counted while it handled that place's entries ({@link ExitSite#modeledCycles}); the header line says how
 * much of the run's modeled cycles that is, and which categories' cycles no place holds.
 */
public final class ExitProfileTable {
    private ExitProfileTable() {
    }

    /**
     * Formats a profile without prices (every place's cycles read 0 under {@code instructions-only}); kept for callers
     * written before the cycles column.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @return the text, ending with a newline
     * @deprecated use {@link #format(ExitProfile, SymbolTable, int, CostModel, CounterSnapshot)}, which prices the
     *             places as the run is priced
     */
    @Deprecated
    public static String format(ExitProfile profile, SymbolTable symbols, int rows) {
        return format(profile, symbols, rows, CostModels.INSTRUCTIONS_ONLY, new CounterSnapshot(Map.of()));
    }

    /**
     * Formats a profile, the most frequent places first.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @param model the cost model the run is priced with
     * @param counters the run's counters, which that model prices as the run's modeled cycles
     * @return the text, ending with a newline
     */
    public static String format(ExitProfile profile, SymbolTable symbols, int rows, CostModel model,
                                CounterSnapshot counters) {
        return format(profile, symbols, rows, model, counters, ExitProfileOrder.ENTRIES);
    }

    /**
     * Formats a profile.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @param model the cost model the run is priced with
     * @param counters the run's counters, which that model prices as the run's modeled cycles
     * @param order which places and functions come first
     * @return the text, ending with a newline
     */
    public static String format(ExitProfile profile, SymbolTable symbols, int rows, CostModel model,
                                CounterSnapshot counters, ExitProfileOrder order) {
        List<ExitSite> sites = order.places(profile, rows, model);
        double runCycles = model.modeledCycles(counters);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%n--- exit profile: %,d entries into the VMM from %,d places%s%s%n",
                profile.total(), profile.places(),
                sites.size() < profile.places() ? "; the " + sites.size() + " " + order.listed() : "",
                symbols.size() == 0 ? "; no symbols to name the addresses" : ""));
        text.append(cyclesLine(profile, model, counters, runCycles));
        if (sites.isEmpty()) {
            return text.toString();
        }
        int whereWidth = "where".length();
        for (ExitSite site : sites) {
            whereWidth = Math.max(whereWidth, where(symbols, site).length());
        }
        String row = "%12s  %6s  %14s  %6s  %-18s  %-" + whereWidth + "s  %s%n";
        text.append(String.format(Locale.ROOT, row, "entries", "share", "cycles", "of run", "guest pc", "where",
                "reason"));
        for (ExitSite site : sites) {
            double cycles = site.modeledCycles(model);
            text.append(String.format(Locale.ROOT, row, String.format(Locale.ROOT, "%,d", site.count()),
                    percent(site.count(), profile.total()), String.format(Locale.ROOT, "%,.0f", cycles),
                    percent(cycles, runCycles), "0x" + Long.toHexString(site.pc()), where(symbols, site),
                    site.reason()));
        }
        if (symbols.size() > 0) {
            List<FunctionEntries> functions = byFunction(profile, symbols, rows, model, order);
            String functionRow = "%12s  %6s  %14s  %6s  %s%n";
            text.append(String.format(Locale.ROOT, "%n" + functionRow, "entries", "share", "cycles", "of run",
                    "by function"));
            for (FunctionEntries function : functions) {
                text.append(String.format(Locale.ROOT, functionRow, String.format(Locale.ROOT, "%,d", function.count()),
                        percent(function.count(), profile.total()),
                        String.format(Locale.ROOT, "%,.0f", function.modeledCycles()),
                        percent(function.modeledCycles(), runCycles), function.name()));
            }
        }
        return text.toString();
    }

    /**
     * The entries' modeled cycles against the run's, and the run's cycles that no place holds, by category, most first
     * (guest instructions always; the hart's page walks, bt's translations and jump lookups, traps inside the guest,
     * and what the VMM counted outside every entry).
     */
    private static String cyclesLine(ExitProfile profile, CostModel model, CounterSnapshot counters,
                                     double runCycles) {
        double entryCycles = profile.modeledCycles(model);
        Map<CostCategory, Long> attributed = profile.events();
        List<Map.Entry<CostCategory, Double>> rest = new ArrayList<>();
        for (CostCategory category : CostCategory.values()) {
            double cycles = (counters.events(category) - attributed.getOrDefault(category, 0L)) * model.cycles(category);
            if (cycles > 0) {
                rest.add(Map.entry(category, cycles));
            }
        }
        rest.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<CostCategory, Double> category : rest) {
            parts.add(String.format(Locale.ROOT, "%s %,.0f", category.getKey().name().toLowerCase(Locale.ROOT),
                    category.getValue()));
        }
        return String.format(Locale.ROOT, "    modeled cycles (%s): the entries' %,.0f of the run's %,.0f (%s)%n"
                + "    the run's cycles at no place: %s%n", model.name(), entryCycles, runCycles,
                percent(entryCycles, runCycles), parts.isEmpty() ? "none" : String.join(", ", parts));
    }

    private static String percent(double part, double whole) {
        return whole > 0 ? String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole) : "-";
    }

    /**
     * Sums a profile's entries by symbol, without prices; kept for callers written before the cycles column.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses
     * @param rows how many symbols at most
     * @return up to {@code rows} symbols with their entries (cycles 0)
     * @deprecated use {@link #byFunction(ExitProfile, SymbolTable, int, CostModel)}
     */
    @Deprecated
    public static List<FunctionEntries> byFunction(ExitProfile profile, SymbolTable symbols, int rows) {
        return byFunction(profile, symbols, rows, CostModels.INSTRUCTIONS_ONLY);
    }

    /**
     * Sums a profile's entries and their modeled cycles by the symbol their addresses fall in (perf's view by
     * function), most entries first; the entries outside every symbol count as {@code ?}.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses
     * @param rows how many symbols at most
     * @param model prices the entries' events
     * @return up to {@code rows} symbols with their entries
     */
    public static List<FunctionEntries> byFunction(ExitProfile profile, SymbolTable symbols, int rows,
                                                   CostModel model) {
        return byFunction(profile, symbols, rows, model, ExitProfileOrder.ENTRIES);
    }

    /**
     * Sums a profile's entries and their modeled cycles by the symbol their addresses fall in, in an order; the
     * entries outside every symbol count as {@code ?}.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses
     * @param rows how many symbols at most
     * @param model prices the entries' events
     * @param order most entries or most cycles first
     * @return up to {@code rows} symbols with their entries
     */
    public static List<FunctionEntries> byFunction(ExitProfile profile, SymbolTable symbols, int rows,
                                                   CostModel model, ExitProfileOrder order) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, double[]> cycles = new HashMap<>();
        for (ExitSite site : profile.top(profile.places())) {
            String name = symbols.symbolOf(site.pc()).orElse("?");
            counts.computeIfAbsent(name, key -> new long[1])[0] += site.count();
            cycles.computeIfAbsent(name, key -> new double[1])[0] += site.modeledCycles(model);
        }
        List<FunctionEntries> functions = new ArrayList<>(counts.size());
        counts.forEach((name, count) -> functions.add(new FunctionEntries(name, count[0], cycles.get(name)[0])));
        functions.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : a.name().compareTo(b.name()));
        order.sortFunctions(functions);
        return List.copyOf(functions.subList(0, Math.min(rows, functions.size())));
    }

    /**
     * A symbol's share of a profile.
     *
     * @param name the symbol, or {@code ?} outside every symbol
     * @param count its entries into the VMM
     * @param modeledCycles those entries' modeled cycles ({@link ExitSite#modeledCycles})
     */
    public record FunctionEntries(String name, long count, double modeledCycles) {
        /**
         * A symbol's entries without their cycles, as before the cycles column.
         *
         * @param name the symbol
         * @param count its entries
         */
        public FunctionEntries(String name, long count) {
            this(name, count, 0);
        }
    }

    private static String where(SymbolTable symbols, ExitSite site) {
        return symbols.nameOf(site.pc()).orElse("?");
    }
}
