package io.vmmlab.runtime.report;

import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of an exit profile: its most frequent places, each with its count, share of all entries into the VMM, guest
 * address, the symbol it falls in and the reason; then, when symbols name the addresses, the entries summed by symbol.
 */
public final class ExitProfileTable {
    private ExitProfileTable() {
    }

    /**
     * Formats a profile.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @return the text, ending with a newline
     */
    public static String format(ExitProfile profile, SymbolTable symbols, int rows) {
        List<ExitSite> sites = profile.top(rows);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%n--- exit profile: %,d entries into the VMM from %,d places%s%s%n",
                profile.total(), profile.places(),
                sites.size() < profile.places() ? "; the " + sites.size() + " most frequent" : "",
                symbols.size() == 0 ? "; no symbols to name the addresses" : ""));
        if (sites.isEmpty()) {
            return text.toString();
        }
        int whereWidth = "where".length();
        for (ExitSite site : sites) {
            whereWidth = Math.max(whereWidth, where(symbols, site).length());
        }
        String row = "%12s  %6s  %-18s  %-" + whereWidth + "s  %s%n";
        text.append(String.format(Locale.ROOT, row, "entries", "share", "guest pc", "where", "reason"));
        for (ExitSite site : sites) {
            text.append(String.format(Locale.ROOT, row, String.format(Locale.ROOT, "%,d", site.count()),
                    String.format(Locale.ROOT, "%.1f%%", 100.0 * site.count() / profile.total()),
                    "0x" + Long.toHexString(site.pc()), where(symbols, site), site.reason()));
        }
        if (symbols.size() > 0) {
            List<FunctionEntries> functions = byFunction(profile, symbols, rows);
            text.append(String.format(Locale.ROOT, "%n%12s  %6s  %s%n", "entries", "share", "by function"));
            for (FunctionEntries function : functions) {
                text.append(String.format(Locale.ROOT, "%12s  %6s  %s%n",
                        String.format(Locale.ROOT, "%,d", function.count()),
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * function.count() / profile.total()),
                        function.name()));
            }
        }
        return text.toString();
    }

    /**
     * Sums a profile's entries by the symbol their addresses fall in (perf's view by function), most first; the
     * entries outside every symbol count as {@code ?}.
     *
     * @param profile the run's profile
     * @param symbols names for guest addresses
     * @param rows how many symbols at most
     * @return up to {@code rows} symbols with their entries
     */
    public static List<FunctionEntries> byFunction(ExitProfile profile, SymbolTable symbols, int rows) {
        Map<String, Long> sums = new HashMap<>();
        for (ExitSite site : profile.top(profile.places())) {
            sums.merge(symbols.symbolOf(site.pc()).orElse("?"), site.count(), Long::sum);
        }
        List<FunctionEntries> functions = new ArrayList<>(sums.size());
        sums.forEach((name, count) -> functions.add(new FunctionEntries(name, count)));
        functions.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : a.name().compareTo(b.name()));
        return List.copyOf(functions.subList(0, Math.min(rows, functions.size())));
    }

    /**
     * A symbol's share of a profile.
     *
     * @param name the symbol, or {@code ?} outside every symbol
     * @param count its entries into the VMM
     */
    public record FunctionEntries(String name, long count) {
    }

    private static String where(SymbolTable symbols, ExitSite site) {
        return symbols.nameOf(site.pc()).orElse("?");
    }
}
