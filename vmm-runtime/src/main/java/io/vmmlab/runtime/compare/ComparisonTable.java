package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CostCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The comparison as a text table for a terminal: one row per workload and strategy with guest instructions,
 * events by kind (trap round trips, VM exits, hypercalls, callouts, translated-jump lookups, translations,
 * guest traps, MMIO emulations), modeled cycles, overhead relative to native (modeled and wall-clock) and wall
 * time. A cell that could not run says why.
 */
public final class ComparisonTable {
    /** The event kinds the table shows, in column order, with their headers. */
    static final List<CostCategory> KINDS = List.of(CostCategory.TRAP_ROUND_TRIP, CostCategory.VM_EXIT,
            CostCategory.HYPERCALL, CostCategory.CALLOUT, CostCategory.TRANSLATED_JUMP, CostCategory.TRANSLATION,
            CostCategory.GUEST_TRAP, CostCategory.MMIO_EMULATION);
    private static final List<String> KIND_HEADERS = List.of("traps", "exits", "hypercalls", "callouts", "tc-jumps",
            "translations", "guest-traps", "mmio");

    private ComparisonTable() {
    }

    /**
     * Formats the comparison.
     *
     * @param comparison the comparison
     * @return the table, with a title line naming the cost model and the setup, ending with a newline
     */
    public static String format(Comparison comparison) {
        List<String> header = new ArrayList<>(List.of("workload", "strategy", "instructions"));
        header.addAll(KIND_HEADERS);
        header.addAll(List.of("modeled-cycles", "overhead", "wall-overhead", "wall-s"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (String workload : comparison.workloads()) {
            for (String strategy : comparison.strategies()) {
                comparison.cell(workload, strategy).ifPresent(cell -> rows.add(row(comparison, cell)));
            }
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                if (row.size() == header.size() || column < 2) {
                    widths[column] = Math.max(widths[column], row.get(column).length());
                }
            }
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "cost model: %s; scale %d; %s time; %s; overheads %s%n",
                comparison.costModel().name(), comparison.scale(),
                comparison.deterministic() ? "deterministic" : "host", comparison.setup().label(), basis(comparison)));
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                String value = row.get(column);
                boolean left = column < 2 || row.size() < header.size();
                line.append(column == 0 ? "" : "  ");
                line.append(left ? pad(value, widths[column], row.size() < header.size() && column == 2)
                        : " ".repeat(widths[column] - value.length()) + value);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /**
     * Says what overheads are computed on.
     *
     * @param comparison the comparison
     * @return {@code "modeled net of each workload's zero-iteration run, wall of whole runs"} and the like; with
     *         repeated runs the wall part says {@code "wall the median of N whole runs"}
     */
    static String basis(Comparison comparison) {
        int runs = comparison.wallRunCount();
        String wall = runs == 1 ? "wall of whole runs" : "wall the median of " + runs + " whole runs";
        if (comparison.overheadsNetOfFixedParts()) {
            return "modeled net of each workload's zero-iteration run, " + wall;
        }
        if (comparison.overheadsNetOfBoot()) {
            return "modeled net of each strategy's boot run, " + wall;
        }
        return runs == 1 ? "of whole runs" : "of whole runs, " + wall;
    }

    private static List<String> row(Comparison comparison, Cell cell) {
        if (!cell.ok()) {
            return List.of(cell.workload(), cell.strategy(), "(" + cell.failure().orElseThrow() + ")");
        }
        List<String> row = new ArrayList<>(List.of(cell.workload(), cell.strategy(), grouped(cell.instructions())));
        for (CostCategory kind : KINDS) {
            row.add(grouped(cell.counters().events(kind)));
        }
        row.add(grouped(Math.round(comparison.modeledCycles(cell))));
        row.add(ratio(comparison.modeledOverhead(cell)));
        row.add(ratio(comparison.wallOverhead(cell)));
        row.add(String.format(Locale.ROOT, "%.3f", cell.wallNanos() / 1e9));
        return row;
    }

    private static String pad(String value, int width, boolean free) {
        return free ? value : value + " ".repeat(Math.max(0, width - value.length()));
    }

    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String ratio(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.2fx", value.getAsDouble()) : "-";
    }
}
