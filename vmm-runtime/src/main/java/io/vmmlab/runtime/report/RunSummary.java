package io.vmmlab.runtime.report;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.runtime.run.RunResult;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one-screen text summary printed after a run: outcome, instructions and their rate, wall time, modeled
 * cycles, and every non-zero counter by group and reason.
 */
public final class RunSummary {
    private RunSummary() {
    }

    /**
     * Says how the run ended, on one line: the summary's first line, and all a quiet run prints when it failed.
     *
     * @param result the run
     * @return such as {@code vmm: guest powered off (SBI SRST) (powered off)}
     */
    public static String outcomeLine(RunResult result) {
        return String.format(Locale.ROOT, "vmm: %s (%s)", result.outcome().message(),
                result.outcome().status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /**
     * Formats a result.
     *
     * @param result the run
     * @param costModel how cycles were modeled
     * @return the text, ending with a newline
     */
    public static String format(RunResult result, CostModel costModel) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%n--- %s%n", outcomeLine(result)));
        line(text, "strategy", result.strategy());
        line(text, "instructions", String.format(Locale.ROOT, "%,d (%.1f million/s)", result.instructions(),
                result.instructionsPerSecond() / 1e6));
        line(text, "wall time", String.format(Locale.ROOT, "%.3f s", result.wallNanos() / 1e9));
        line(text, "modeled cycles", String.format(Locale.ROOT, "%,.0f (%s)",
                costModel.modeledCycles(result.counters()), costModel.name()));
        Map<String, Map<String, Long>> groups = new TreeMap<>();
        for (Map.Entry<CounterKey, Long> entry : result.counters().values().entrySet()) {
            if (entry.getValue() != 0) {
                groups.computeIfAbsent(entry.getKey().group(), group -> new TreeMap<>())
                        .put(entry.getKey().reason(), entry.getValue());
            }
        }
        groups.forEach((group, reasons) -> {
            StringBuilder values = new StringBuilder();
            reasons.forEach((reason, value) -> values.append(values.length() == 0 ? "" : ", ")
                    .append(reason).append(' ').append(String.format(Locale.ROOT, "%,d", value)));
            line(text, group, values.toString());
        });
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-15s %s%n", label, value));
    }
}
