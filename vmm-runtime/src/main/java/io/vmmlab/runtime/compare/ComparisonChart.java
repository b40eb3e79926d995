package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CostCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The comparison as a self-contained SVG chart in two panels: modeled overhead relative to native per workload
 * and strategy (logarithmic axis), and exits per 1,000 guest instructions by kind, stacked, per workload and
 * strategy. Cells that could not run are marked with a cross whose tooltip gives the reason.
 */
public final class ComparisonChart {
    /** The kinds stacked in the second panel, with their legend names. */
    static final List<CostCategory> EXIT_KINDS = List.of(CostCategory.TRAP_ROUND_TRIP, CostCategory.VM_EXIT,
            CostCategory.HYPERCALL, CostCategory.CALLOUT, CostCategory.MMIO_EMULATION);
    private static final List<String> EXIT_KIND_NAMES = List.of("trap round trips", "VM exits", "hypercalls",
            "callouts", "device accesses (mmio)");
    private static final String[] STRATEGY_COLORS = {"#4e79a7", "#e15759", "#f28e2b", "#59a14f", "#76b7b2",
        "#b07aa1", "#9c755f", "#edc948"};
    private static final String[] KIND_COLORS = {"#e15759", "#76b7b2", "#59a14f", "#f28e2b", "#bab0ac"};
    private static final int LEFT = 70;
    private static final int BAR = 14;
    private static final int GAP = 22;
    private static final int PANEL_HEIGHT = 260;

    private ComparisonChart() {
    }

    /**
     * Draws the chart.
     *
     * @param comparison the comparison
     * @return the SVG document
     */
    public static String svg(Comparison comparison) {
        int groupWidth = comparison.strategies().size() * BAR + GAP;
        int width = Math.max(760, LEFT + 20 + comparison.workloads().size() * groupWidth);
        int top1 = 60;
        int top2 = top1 + PANEL_HEIGHT + 110;
        int height = top2 + PANEL_HEIGHT + 100;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        text(svg, LEFT, 22, "start", 14, "Overhead relative to native, modeled cycles (cost model "
                + comparison.costModel().name() + ", scale " + comparison.scale() + ", " + comparison.setup().label()
                + ", " + (comparison.overheadsNetOfFixedParts()
                        ? "net of each workload's zero-iteration run; boot: whole runs"
                        : comparison.overheadsNetOfBoot() ? "net of each strategy's boot run" : "whole runs") + ")");
        overheadPanel(svg, comparison, top1, groupWidth);
        strategyLegend(svg, comparison, LEFT, top1 + PANEL_HEIGHT + 45);
        text(svg, LEFT, top2 - 28, "start", 14, "Exits per 1,000 guest instructions (whole runs), by kind");
        exitPanel(svg, comparison, top2, groupWidth);
        kindLegend(svg, LEFT, top2 + PANEL_HEIGHT + 45);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void overheadPanel(StringBuilder svg, Comparison comparison, int top, int groupWidth) {
        double min = 1;
        double max = 1;
        for (Cell cell : comparison.cells()) {
            OptionalDouble overhead = comparison.modeledOverhead(cell);
            if (overhead.isPresent() && overhead.getAsDouble() > 0) {
                min = Math.min(min, overhead.getAsDouble());
                max = Math.max(max, overhead.getAsDouble());
            }
        }
        List<Double> ticks = niceTicks(min >= 0.5 ? 0.5 : Math.pow(10, Math.floor(Math.log10(min))), max * 1.05);
        double low = Math.log10(ticks.get(0));
        double high = Math.log10(ticks.get(ticks.size() - 1));
        int bottom = top + PANEL_HEIGHT;
        for (double tick : ticks) {
            double y = bottom - (Math.log10(tick) - low) / (high - low) * PANEL_HEIGHT;
            gridLine(svg, y, LEFT, LEFT + comparison.workloads().size() * groupWidth, tick == 1.0);
            text(svg, LEFT - 6, y + 4, "end", 10, format(tick) + "x");
        }
        double baseline = bottom - (0 - low) / (high - low) * PANEL_HEIGHT;
        for (int group = 0; group < comparison.workloads().size(); group++) {
            String workload = comparison.workloads().get(group);
            int x0 = LEFT + group * groupWidth + GAP / 2;
            for (int index = 0; index < comparison.strategies().size(); index++) {
                String strategy = comparison.strategies().get(index);
                int x = x0 + index * BAR;
                Cell cell = comparison.cell(workload, strategy).orElse(null);
                OptionalDouble overhead = cell == null ? OptionalDouble.empty() : comparison.modeledOverhead(cell);
                if (overhead.isEmpty() || overhead.getAsDouble() <= 0) {
                    cross(svg, x + BAR / 2.0, baseline, cell == null ? "no cell"
                            : strategy + ": " + cell.failure().orElse("no native baseline"));
                    continue;
                }
                double y = bottom - (Math.log10(overhead.getAsDouble()) - low) / (high - low) * PANEL_HEIGHT;
                bar(svg, x, Math.min(y, baseline), BAR - 2, Math.abs(baseline - y), color(index),
                        String.format(Locale.ROOT, "%s %s: %.2fx", workload, strategy, overhead.getAsDouble()));
            }
            text(svg, x0 + comparison.strategies().size() * BAR / 2.0, bottom + 16, "middle", 11, workload);
        }
    }

    private static void exitPanel(StringBuilder svg, Comparison comparison, int top, int groupWidth) {
        double max = 0;
        for (Cell cell : comparison.cells()) {
            double total = 0;
            for (CostCategory kind : EXIT_KINDS) {
                total += perThousand(cell, kind);
            }
            max = Math.max(max, total);
        }
        double step = niceStep(max <= 0 ? 1 : max / 5);
        double high = Math.max(step, Math.ceil(max / step) * step);
        int bottom = top + PANEL_HEIGHT;
        for (double tick = 0; tick <= high + step / 2; tick += step) {
            double y = bottom - tick / high * PANEL_HEIGHT;
            gridLine(svg, y, LEFT, LEFT + comparison.workloads().size() * groupWidth, tick == 0);
            text(svg, LEFT - 6, y + 4, "end", 10, format(tick));
        }
        for (int group = 0; group < comparison.workloads().size(); group++) {
            String workload = comparison.workloads().get(group);
            int x0 = LEFT + group * groupWidth + GAP / 2;
            for (int index = 0; index < comparison.strategies().size(); index++) {
                String strategy = comparison.strategies().get(index);
                int x = x0 + index * BAR;
                Cell cell = comparison.cell(workload, strategy).orElse(null);
                if (cell == null || !cell.ok()) {
                    cross(svg, x + BAR / 2.0, bottom, strategy + ": "
                            + (cell == null ? "no cell" : cell.failure().orElseThrow()));
                    continue;
                }
                double y = bottom;
                for (int kind = 0; kind < EXIT_KINDS.size(); kind++) {
                    double value = perThousand(cell, EXIT_KINDS.get(kind));
                    double h = value / high * PANEL_HEIGHT;
                    if (h > 0) {
                        bar(svg, x, y - h, BAR - 2, h, KIND_COLORS[kind], String.format(Locale.ROOT,
                                "%s %s: %.3f %s per 1,000 instructions", workload, strategy, value,
                                EXIT_KIND_NAMES.get(kind)));
                        y -= h;
                    }
                }
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"3\" "
                        + "fill=\"%s\"><title>%s</title></rect>%n", x, bottom + 2, BAR - 2, color(index),
                        escape(strategy)));
            }
            text(svg, x0 + comparison.strategies().size() * BAR / 2.0, bottom + 18, "middle", 11, workload);
        }
    }

    private static double perThousand(Cell cell, CostCategory kind) {
        return !cell.ok() || cell.instructions() == 0 ? 0
                : cell.counters().events(kind) * 1000.0 / cell.instructions();
    }

    private static void strategyLegend(StringBuilder svg, Comparison comparison, int x, int y) {
        List<String> names = comparison.strategies();
        for (int index = 0; index < names.size(); index++) {
            legendEntry(svg, x + index * 130, y, color(index), names.get(index));
        }
    }

    private static void kindLegend(StringBuilder svg, int x, int y) {
        for (int kind = 0; kind < EXIT_KINDS.size(); kind++) {
            legendEntry(svg, x + kind * 150, y, KIND_COLORS[kind], EXIT_KIND_NAMES.get(kind));
        }
        text(svg, x, y + 22, "start", 10, "Bars per workload in strategy order (native, then the others as in the "
                + "overhead panel); a cross marks a cell that did not run.");
    }

    private static void legendEntry(StringBuilder svg, int x, int y, String color, String label) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                x, y - 10, color));
        text(svg, x + 16, y, "start", 11, label);
    }

    private static void bar(StringBuilder svg, double x, double y, double width, double height, String color,
                            String title) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                + "fill=\"%s\"><title>%s</title></rect>%n", x, y, width, Math.max(height, 0.5), color,
                escape(title)));
    }

    private static void cross(StringBuilder svg, double x, double y, String title) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#999\" "
                + "font-size=\"12\">&#215;<title>%s</title></text>%n", x - 1, y - 2, escape(title)));
    }

    private static void gridLine(StringBuilder svg, double y, int x1, int x2, boolean strong) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y, x2, y, strong ? "#333" : "#ddd"));
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s"
                + "</text>%n", x, y, anchor, size, escape(content)));
    }

    private static String color(int index) {
        return STRATEGY_COLORS[index % STRATEGY_COLORS.length];
    }

    /**
     * Returns ticks 1, 2, 5, 10, 20 ... (and 0.5, 0.2 ... below one) that cover a range.
     *
     * @param low the smallest value to show, positive
     * @param high the largest value to show
     * @return the ticks, ascending, first at or below low and last at or above high
     */
    static List<Double> niceTicks(double low, double high) {
        List<Double> sequence = new ArrayList<>();
        double decade = Math.pow(10, Math.floor(Math.log10(low)) - 1);
        while (sequence.isEmpty() || sequence.get(sequence.size() - 1) < high) {
            for (double step : new double[] {1, 2, 5}) {
                sequence.add(step * decade);
            }
            decade *= 10;
        }
        int first = 0;
        for (int index = 0; index < sequence.size(); index++) {
            if (sequence.get(index) <= low * 1.000001) {
                first = index;
            }
        }
        int last = first + 1;
        while (sequence.get(last) < high) {
            last++;
        }
        return List.copyOf(sequence.subList(first, last + 1));
    }

    private static double niceStep(double rough) {
        double decade = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * decade >= rough) {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3g", value).replaceAll("\\.?0+$", "");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
