package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CounterSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The comparison as CSV (RFC 4180 quoting), one row per workload and strategy, with events of every cost
 * category, modeled cycles, both overheads and wall time, then how the row was measured: the cost model, scale,
 * time source, what the modeled overhead is net of ({@link Comparison#overheadBasis}), that fixed part's
 * instructions and modeled cycles (empty when none was measured), the number of runs, and the setup (harts, ISA,
 * command-line text). Empty fields for a cell that could not run; its {@code status} says why.
 */
public final class ComparisonCsv {
    private ComparisonCsv() {
    }

    /**
     * Formats the comparison.
     *
     * @param comparison the comparison
     * @return the CSV text, header first
     */
    public static String format(Comparison comparison) {
        List<String> header = new ArrayList<>(List.of("workload", "strategy", "status", "instructions"));
        for (CostCategory category : eventCategories()) {
            header.add(category.name().toLowerCase(Locale.ROOT));
        }
        header.addAll(List.of("modeled_cycles", "overhead_modeled", "overhead_wall", "wall_seconds", "cost_model",
                "scale", "time", "overhead_basis", "fixed_instructions", "fixed_modeled_cycles", "wall_runs", "harts",
                "isa", "append", "mmu"));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (String workload : comparison.workloads()) {
            for (String strategy : comparison.strategies()) {
                comparison.cell(workload, strategy).ifPresent(cell -> csv.append(row(comparison, cell)).append('\n'));
            }
        }
        return csv.toString();
    }

    static List<CostCategory> eventCategories() {
        List<CostCategory> categories = new ArrayList<>();
        for (CostCategory category : CostCategory.values()) {
            if (category != CostCategory.INSTRUCTION && category != CostCategory.NONE) {
                categories.add(category);
            }
        }
        return categories;
    }

    private static String row(Comparison comparison, Cell cell) {
        List<String> fields = new ArrayList<>(List.of(quote(cell.workload()), quote(cell.strategy()),
                quote(cell.failure().orElse("ok"))));
        boolean ok = cell.ok();
        fields.add(ok ? Long.toString(cell.instructions()) : "");
        for (CostCategory category : eventCategories()) {
            fields.add(ok ? Long.toString(cell.counters().events(category)) : "");
        }
        fields.add(ok ? String.format(Locale.ROOT, "%.0f", comparison.modeledCycles(cell)) : "");
        fields.add(number(comparison.modeledOverhead(cell)));
        fields.add(number(comparison.wallOverhead(cell)));
        fields.add(ok ? String.format(Locale.ROOT, "%.6f", cell.wallNanos() / 1e9) : "");
        fields.add(quote(comparison.costModel().name()));
        fields.add(Integer.toString(comparison.scale()));
        fields.add(comparison.deterministic() ? "deterministic" : "host");
        fields.add(comparison.overheadBasis(cell));
        Optional<CounterSnapshot> fixed = cell.fixedPart().filter(part -> ok);
        fields.add(fixed.map(part -> Long.toString(part.events(CostCategory.INSTRUCTION))).orElse(""));
        fields.add(fixed.map(part -> String.format(Locale.ROOT, "%.0f", comparison.costModel().modeledCycles(part)))
                .orElse(""));
        fields.add(ok ? Integer.toString(Math.max(1, cell.wallRuns().size())) : "");
        fields.add(Integer.toString(comparison.setup().harts()));
        fields.add(quote(comparison.setup().isa()));
        fields.add(quote(comparison.setup().append()));
        fields.add(comparison.setup().translation().displayName());
        return String.join(",", fields);
    }

    private static String number(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "";
    }

    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
