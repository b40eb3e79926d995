package io.vmmlab.runtime.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code RESULT} line of the bundled guest kernel's suite:
 * {@code RESULT name=nullcall iters=50000 check=ok ticks=2}.
 *
 * @param name the workload
 * @param iterations how many iterations it ran
 * @param passed whether its own check passed ({@code check=ok})
 * @param fields every {@code key=value} field of the line, in order
 */
public record WorkloadResult(String name, long iterations, boolean passed, Map<String, String> fields) {

    /** Freezes the fields. */
    public WorkloadResult {
        fields = Map.copyOf(fields);
    }

    /**
     * Reads every {@code RESULT} line of a console transcript.
     *
     * @param console the guest's output
     * @return the results in the order printed
     */
    public static List<WorkloadResult> parseAll(String console) {
        List<WorkloadResult> results = new ArrayList<>();
        for (String line : console.split("\n")) {
            parse(line).ifPresent(results::add);
        }
        return List.copyOf(results);
    }

    /**
     * Reads one line.
     *
     * @param line a console line
     * @return the result, or empty when the line is not a well-formed {@code RESULT} line
     */
    public static Optional<WorkloadResult> parse(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("RESULT ")) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : trimmed.substring("RESULT ".length()).split(" +")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                fields.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        String name = fields.get("name");
        String iterations = fields.get("iters");
        if (name == null || iterations == null || !iterations.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(new WorkloadResult(name, Long.parseLong(iterations), "ok".equals(fields.get("check")),
                fields));
    }
}
