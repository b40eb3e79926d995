package io.vmmlab.runtime.report;

import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;

import java.util.List;
import java.util.Locale;

/**
 * The text of an exit profile: its most frequent places, each with its count, share of all entries into the VMM, guest
 * address, the symbol it falls in and the reason.
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
        return text.toString();
    }

    private static String where(SymbolTable symbols, ExitSite site) {
        return symbols.nameOf(site.pc()).orElse("?");
    }
}
