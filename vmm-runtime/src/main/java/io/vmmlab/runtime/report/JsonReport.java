package io.vmmlab.runtime.report;

import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;
import io.vmmlab.runtime.run.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run summary as a JSON document, for scripts: the same fields as {@link RunSummary}, with every counter.
 */
public final class JsonReport {
    private JsonReport() {
    }

    /**
     * Formats a result.
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @return the JSON text
     */
    public static String format(RunResult result, CostModel costModel) {
        return format(result, costModel, "", "");
    }

    /**
     * Formats a result with its exit profile: an {@code exitProfile} object with the entries, the places, the
     * entries' {@code modeledCycles} (priced by the run's cost model, as the report's own {@code modeledCycles}: the
     * events counted while the VMM handled them, see {@link ExitProfileTable}) and the most frequent places
     * ({@code pc} as a hex string, {@code symbol} or null, {@code reason}, {@code count}, {@code modeledCycles}), and
     * the entries by symbol ({@code functions}: {@code symbol}, {@code ?} outside every one, {@code count} and
     * {@code modeledCycles}; empty without symbols).
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @param profile the run's exit profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @return the JSON text
     */
    public static String format(RunResult result, CostModel costModel, ExitProfile profile, SymbolTable symbols,
                                int rows) {
        return format(result, costModel, profile, symbols, rows, ExitProfileOrder.ENTRIES);
    }

    /**
     * Formats a result with its exit profile as {@link #format(RunResult, CostModel, ExitProfile, SymbolTable, int)}
     * does, its places and functions in an order (and {@code "order": "entries"} or {@code "cycles"}).
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @param profile the run's exit profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @param order which places and functions come first
     * @return the JSON text
     */
    public static String format(RunResult result, CostModel costModel, ExitProfile profile, SymbolTable symbols,
                                int rows, ExitProfileOrder order) {
        return format(result, costModel, "", exitProfile(costModel, profile, symbols, rows, order));
    }

    /**
     * Formats a result with the VM it ran (a {@code vm} object: strategy, technique as asked or null, cpu, isa,
     * mmu, harts, memoryBytes, firmware, append, deterministic), so that a report says what produced it.
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @param vm the VM as it was asked for
     * @return the JSON text
     */
    public static String format(RunResult result, CostModel costModel, VmSpec vm) {
        return format(result, costModel, vm(vm), "");
    }

    /**
     * Formats a result with the VM it ran and its exit profile.
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @param vm the VM as it was asked for
     * @param profile the run's exit profile
     * @param symbols names for guest addresses (may be empty)
     * @param rows how many places at most
     * @param order which places and functions come first
     * @return the JSON text
     */
    public static String format(RunResult result, CostModel costModel, VmSpec vm, ExitProfile profile,
                                SymbolTable symbols, int rows, ExitProfileOrder order) {
        return format(result, costModel, vm(vm), exitProfile(costModel, profile, symbols, rows, order));
    }

    private static String vm(VmSpec vm) {
        return "  \"vm\": {\"strategy\": " + quote(vm.strategy())
                + ", \"technique\": " + vm.technique().map(JsonReport::quote).orElse("null")
                + ", \"cpu\": " + quote(vm.cpu()) + ", \"isa\": " + quote(vm.isa().canonical())
                + ", \"mmu\": " + quote(vm.translation().displayName()) + ", \"harts\": " + vm.harts()
                + ", \"memoryBytes\": " + vm.memoryBytes() + ", \"firmware\": " + quote(vm.firmware())
                + ", \"append\": " + quote(vm.append()) + ", \"deterministic\": " + vm.deterministic() + "},\n";
    }

    private static String exitProfile(CostModel costModel, ExitProfile profile, SymbolTable symbols, int rows,
                                      ExitProfileOrder order) {
        StringBuilder json = new StringBuilder("  \"exitProfile\": {\"entries\": ").append(profile.total())
                .append(", \"places\": ").append(profile.places())
                .append(", \"modeledCycles\": ").append(cycles(profile.modeledCycles(costModel)))
                .append(", \"order\": ").append(quote(order.displayName()))
                .append(", \"sites\": ");
        List<String> sites = new ArrayList<>();
        for (ExitSite site : order.places(profile, rows, costModel)) {
            sites.add("{\"pc\": " + quote("0x" + Long.toHexString(site.pc()))
                    + ", \"symbol\": " + symbols.nameOf(site.pc()).map(JsonReport::quote).orElse("null")
                    + ", \"reason\": " + quote(site.reason()) + ", \"count\": " + site.count()
                    + ", \"modeledCycles\": " + cycles(site.modeledCycles(costModel)) + "}");
        }
        array(json, sites);
        json.append(", \"functions\": ");
        List<String> functions = new ArrayList<>();
        for (ExitProfileTable.FunctionEntries function : symbols.size() > 0
                ? ExitProfileTable.byFunction(profile, symbols, rows, costModel, order)
                : List.<ExitProfileTable.FunctionEntries>of()) {
            functions.add("{\"symbol\": " + quote(function.name()) + ", \"count\": " + function.count()
                    + ", \"modeledCycles\": " + cycles(function.modeledCycles()) + "}");
        }
        array(json, functions);
        json.append("},\n");
        return json.toString();
    }

    private static String format(RunResult result, CostModel costModel, String vm, String exitProfile) {
        StringBuilder json = new StringBuilder("{\n");
        field(json, "strategy", quote(result.strategy()));
        field(json, "status", quote(result.outcome().status().name().toLowerCase(Locale.ROOT)));
        field(json, "exitCode", Integer.toString(result.outcome().exitCode()));
        field(json, "message", quote(result.outcome().message()));
        field(json, "instructions", Long.toString(result.instructions()));
        field(json, "wallSeconds", String.format(Locale.ROOT, "%.6f", result.wallNanos() / 1e9));
        field(json, "instructionsPerSecond", String.format(Locale.ROOT, "%.0f", result.instructionsPerSecond()));
        field(json, "costModel", quote(costModel.name()));
        field(json, "modeledCycles", cycles(costModel.modeledCycles(result.counters())));
        json.append(vm);
        json.append(exitProfile);
        json.append("  \"counters\": ");
        List<String> counters = new ArrayList<>();
        for (Map.Entry<CounterKey, Long> entry : result.counters().byQualifiedName()) {
            CounterKey key = entry.getKey();
            counters.add("{\"group\": " + quote(key.group()) + ", \"reason\": " + quote(key.reason())
                    + ", \"category\": " + quote(key.category().name().toLowerCase(Locale.ROOT))
                    + ", \"value\": " + entry.getValue() + "}");
        }
        array(json, counters);
        json.append("\n}\n");
        return json.toString();
    }

    private static String cycles(double cycles) {
        return String.format(Locale.ROOT, "%.0f", cycles);
    }

    /** Appends a JSON array of objects, one per line at the report's second level ({@code []} when empty). */
    private static void array(StringBuilder json, List<String> objects) {
        if (objects.isEmpty()) {
            json.append("[]");
        } else {
            json.append("[\n    ").append(String.join(",\n    ", objects)).append("\n  ]");
        }
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char character : text.toCharArray()) {
            switch (character) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (character < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) character));
                    } else {
                        quoted.append(character);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
