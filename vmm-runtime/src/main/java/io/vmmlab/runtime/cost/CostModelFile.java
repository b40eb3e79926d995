package io.vmmlab.runtime.cost;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text format of a cost model, for presets and users' own files:
 *
 * <pre>
 * # a comment: everything after '#' on a line
 * name = my-machine
 * source = where the figures come from (repeatable; the lines are joined)
 * instruction = 1
 * trap_round_trip = 1200
 * vm_exit = 1350
 * </pre>
 *
 * <p>Every other key is a {@link CostCategory} in lower case ({@code trap-round-trip} also works) and its value is
 * the cycles charged for one event of that category, a finite non-negative number. A category left out costs
 * nothing. Errors name the origin and the line.
 */
public final class CostModelFile {
    private CostModelFile() {
    }

    /**
     * Parses a cost model.
     *
     * @param text the file's text
     * @param origin where it came from, for error messages (a file name or {@code preset NAME})
     * @return the model
     * @throws IllegalArgumentException with a one-line message naming the origin and line when the text is wrong
     */
    public static CostModel parse(String text, String origin) {
        String name = null;
        List<String> sources = new ArrayList<>();
        Map<CostCategory, Double> cycles = new EnumMap<>(CostCategory.class);
        // A byte-order mark, which some editors put at the start of a UTF-8 file, is not part of the first key.
        List<String> lines = lines(text.startsWith("\uFEFF") ? text.substring(1) : text);
        for (int index = 0; index < lines.size(); index++) {
            String line = stripComment(lines.get(index)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw error(origin, index, "expected 'key = value', found '" + line + "'");
            }
            String key = line.substring(0, equals).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            String value = line.substring(equals + 1).strip();
            switch (key) {
                case "name" -> {
                    if (!isName(value)) {
                        throw error(origin, index, "a name is letters, digits and . _ + - only: '" + value + "'");
                    }
                    name = value;
                }
                case "source" -> sources.add(value);
                default -> {
                    CostCategory category = category(key, origin, index);
                    if (cycles.put(category, cycles(value, origin, index)) != null) {
                        throw error(origin, index, "'" + key + "' is given twice");
                    }
                }
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("cost model " + origin + ": no 'name = ...' line");
        }
        return new CostModel(name, String.join(" ", sources), cycles);
    }

    /**
     * Writes a model in the file format, so {@link #parse} reads it back to an equal model.
     *
     * @param model the model
     * @return the text
     */
    public static String format(CostModel model) {
        StringBuilder text = new StringBuilder();
        text.append("name = ").append(model.name()).append('\n');
        if (!model.source().isEmpty()) {
            text.append("source = ").append(model.source().replace('\n', ' ').replace("#", "no.")).append('\n');
        }
        for (CostCategory category : CostCategory.values()) {
            Double cycles = model.cyclesPerEvent().get(category);
            if (cycles != null && category != CostCategory.NONE) { // informational: free, and not a key parse takes
                text.append(category.name().toLowerCase(Locale.ROOT)).append(" = ")
                        .append(cycles == Math.rint(cycles) ? Long.toString(cycles.longValue()) : cycles.toString())
                        .append('\n');
            }
        }
        return text.toString();
    }

    /** Splits a text at each line feed, dropping the carriage return before one (as {@code split("\r?\n", -1)}). */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (true) {
            int feed = text.indexOf('\n', start);
            if (feed < 0) {
                lines.add(text.substring(start));
                return lines;
            }
            int end = feed > start && text.charAt(feed - 1) == '\r' ? feed - 1 : feed;
            lines.add(text.substring(start, end));
            start = feed + 1;
        }
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static CostCategory category(String key, String origin, int index) {
        if (key.equals("none")) { // its counters are informational, free whatever a model says
            throw error(origin, index, "'none' is not priced: its counters are informational");
        }
        for (CostCategory category : CostCategory.values()) {
            if (category != CostCategory.NONE && category.name().toLowerCase(Locale.ROOT).equals(key)) {
                return category;
            }
        }
        List<String> known = new ArrayList<>(List.of("name", "source"));
        for (CostCategory category : CostCategory.values()) {
            if (category != CostCategory.NONE) {
                known.add(category.name().toLowerCase(Locale.ROOT));
            }
        }
        throw error(origin, index, "unknown key '" + key + "'; known: " + String.join(", ", known));
    }

    /** The most cycles one event may cost: far above any real cost, and small enough that totals stay finite. */
    private static final double MAX_CYCLES = 1e12;

    private static double cycles(String value, String origin, int index) {
        if (value.startsWith("-") || value.equals("NaN") || value.endsWith("Infinity")) {
            throw error(origin, index, "cycles must be a finite non-negative number: '" + value + "'");
        }
        // A decimal number as people write one (Java would also take "1d", "0x1p3", "+5").
        if (!decimal(value)) {
            throw error(origin, index, "not a number: '" + value + "'");
        }
        double cycles = Double.parseDouble(value);
        if (cycles > MAX_CYCLES) {
            throw error(origin, index, "cycles must be at most " + (long) MAX_CYCLES + ": '" + value + "'");
        }
        return cycles;
    }

    /** Tells whether a text is a model's name: one or more ASCII letters, digits and . _ + - characters. */
    private static boolean isName(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '.' || c == '_' || c == '+'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells whether a value is a decimal number as people write one: digits with an optional fraction ({@code 12},
     * {@code 12.}, {@code 12.5}, {@code .5}, at least one digit in all) and an optional exponent ({@code e3},
     * {@code E-3}). Checked by hand rather than with a regular expression: every {@code vmm run} parses the presets
     * at start-up, where compiling and interpreting the pattern cost more than the rest of the parse.
     */
    static boolean decimal(String value) {
        int i = 0;
        int n = value.length();
        int digits = 0;
        while (i < n && isDigit(value.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && value.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(value.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            i++;
            if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(value.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException error(String origin, int index, String message) {
        return new IllegalArgumentException(String.format("cost model %s, line %d: %s", origin, index + 1, message));
    }
}
