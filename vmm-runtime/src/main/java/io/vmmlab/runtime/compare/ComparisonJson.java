package io.vmmlab.runtime.compare;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparison as JSON: the cost model, and per cell the failure or the measurement with every raw counter
 * (group, reason, category, value), so {@code vmm compare --reprice} can price the same counters under another
 * model without running the guest again; a cell's {@code fixedPart} holds the raw counters of the same workload
 * with zero iterations, which overheads are net of. Derived figures (events by category, modeled cycles, overheads) are
 * included for readers and ignored when read back. Wall-clock fields are on lines of their own
 * ({@code wallNanos}, {@code wallSeconds}, {@code overheadWall}, and {@code wallRunsNanos}, the wall time of each
 * run of a cell that ran several times, {@code vmm compare --repeat}, written on one line) so deterministic runs
 * compare equal without them.
 */
public final class ComparisonJson {
    private static final BigDecimal MAX_COUNT = BigDecimal.valueOf(1L << 53);
    /** The most digits (and places of scale) of a number an error shows as written; a longer one is rounded. */
    private static final int MAX_SHOWN_NUMBER = 24;
    /** The significant digits of a number too long to show as written. */
    private static final MathContext SHOWN_DIGITS = new MathContext(6);
    /** The most characters of a syntax error's message in the one-line error. */
    private static final int MAX_SYNTAX_MESSAGE = 120;
    /** A pretty-printed {@code wallRunsNanos} array: numbers only, so no bracket inside. */
    private static final Pattern WALL_RUNS = Pattern.compile("(\"wallRunsNanos\": \\[)([^\\]]*)\\]");

    /** The document's {@code format} field. */
    static final String FORMAT = "vmmlab-compare-1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();

    private ComparisonJson() {
    }

    /**
     * Formats the comparison.
     *
     * @param comparison the comparison
     * @return the JSON text, ending with a newline
     */
    public static String format(Comparison comparison) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.add("costModel", costModel(comparison.costModel()));
        root.addProperty("scale", comparison.scale());
        root.addProperty("deterministic", comparison.deterministic());
        root.addProperty("harts", comparison.setup().harts());
        root.addProperty("isa", comparison.setup().isa());
        root.addProperty("append", comparison.setup().append());
        root.addProperty("mmu", comparison.setup().translation().displayName());
        root.addProperty("overheads", ComparisonTable.basis(comparison));
        root.add("workloads", strings(comparison.workloads()));
        root.add("strategies", strings(comparison.strategies()));
        JsonArray cells = new JsonArray();
        for (Cell cell : comparison.cells()) {
            cells.add(cell(comparison, cell));
        }
        root.add("cells", cells);
        return oneLineWallRuns(GSON.toJson(root)) + "\n";
    }

    /**
     * Reads a comparison written by {@link #format}.
     *
     * @param json the text
     * @param origin where it came from, for error messages
     * @return the comparison, priced under the model it was written with
     * @throws IllegalArgumentException with a one-line message when the text is not such a document
     */
    public static Comparison parse(String json, String origin) {
        String prefix = "cannot read " + origin + " as a 'vmm compare' JSON result: ";
        String start = json.stripLeading();
        if (!start.isEmpty() && start.charAt(0) != '{' && start.charAt(0) != '[') { // a CSV or table, most likely
            throw new IllegalArgumentException(prefix + "it is not JSON (the JSON is what --format json prints and "
                    + "--out DIR writes as compare.json)");
        }
        JsonElement document;
        try {
            document = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(prefix + syntaxError(e));
        }
        if (!document.isJsonObject()) {
            throw new IllegalArgumentException(prefix + (document.isJsonNull() ? "it is empty" : "it is not a JSON "
                    + "object"));
        }
        try {
            JsonObject root = document.getAsJsonObject();
            if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
                throw new IllegalArgumentException(origin + " is not a 'vmm compare' JSON result (format "
                        + FORMAT + ")");
            }
            List<String> workloads = readNames(root.getAsJsonArray("workloads"), "workload",
                    ComparisonJson::checkWorkloadName);
            List<String> strategies = readNames(root.getAsJsonArray("strategies"), "strategy",
                    ComparisonJson::checkStrategyLabel);
            try {
                Comparison.requireSize(workloads.size(), strategies.size());
            } catch (IllegalArgumentException e) {
                throw new Malformed(e.getMessage());
            }
            List<Cell> cells = new ArrayList<>();
            for (JsonElement element : root.getAsJsonArray("cells")) {
                Cell cell = readCell(element.getAsJsonObject());
                if (!workloads.contains(cell.workload()) || !strategies.contains(cell.strategy())) {
                    throw new IllegalArgumentException(prefix + "a cell of " + cell.workload() + " under "
                            + cell.strategy() + " is not in the lists of workloads and strategies");
                }
                if (cells.stream().anyMatch(other -> other.workload().equals(cell.workload())
                        && other.strategy().equals(cell.strategy()))) {
                    throw new IllegalArgumentException(prefix + "two cells of " + cell.workload() + " under "
                            + cell.strategy());
                }
                cells.add(cell);
            }
            long scale = count(number(root.get("scale")));
            if (scale < 1 || scale > Integer.MAX_VALUE) { // Gson's getAsInt would keep the low 32 bits
                throw new Malformed("scale " + scale + " is not 1 to " + Integer.MAX_VALUE);
            }
            return new Comparison(workloads, strategies, (int) scale, flag(root.get("deterministic")),
                    readCostModel(root.getAsJsonObject("costModel")), cells, readSetup(root));
        } catch (Malformed e) {
            throw new IllegalArgumentException(prefix + e.getMessage());
        } catch (IllegalStateException | UnsupportedOperationException | NullPointerException | ClassCastException
                 | NumberFormatException e) {
            // Gson's accessors on a missing field, a null or a value of another type.
            throw new IllegalArgumentException(prefix + "a field is missing, null or of the wrong type");
        }
    }

    /**
     * The setup of the runs; a field missing is the default's (results written before compare had {@code --smp},
     * {@code --isa} and {@code --append} lack them), but a missing {@code mmu} reads as Sv48, what the harts offered
     * before compare had {@code --mmu}.
     */
    private static RunSetup readSetup(JsonObject root) {
        RunSetup defaults = RunSetup.DEFAULT;
        long harts = root.has("harts") ? count(number(root.get("harts"))) : defaults.harts();
        if (harts < 1 || harts > VmSpec.MAX_HARTS) {
            throw new Malformed("harts " + harts + " is not 1 to " + VmSpec.MAX_HARTS);
        }
        String isa = root.has("isa") ? text(root.get("isa")) : defaults.isa();
        String append = root.has("append") ? text(root.get("append")) : defaults.append();
        String mmu = root.has("mmu") ? text(root.get("mmu")) : AddressTranslation.SV48.displayName();
        try {
            return new RunSetup((int) harts, isa, append, AddressTranslation.parse(mmu));
        } catch (IllegalArgumentException e) { // the ISA or the text
            throw new Malformed(e.getMessage().replace("--append", "append")); // or the mmu's name
        }
    }

    private static JsonElement number(JsonElement element) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            throw new Malformed("a number field holds " + element);
        }
        return element;
    }

    /** A true/false field: Gson's getAsBoolean reads any text as false ("yes" included). */
    private static boolean flag(JsonElement element) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isBoolean()) {
            throw new Malformed("a true/false field holds something else");
        }
        return element.getAsBoolean();
    }

    private static String text(JsonElement element) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw new Malformed("a text field holds " + element);
        }
        return element.getAsString();
    }

    /** A value the document may not hold (Gson's own exceptions mean a field missing or of another type). */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * What is wrong with a text that is not JSON, in a few words: Gson's message without its exception's class name,
     * the path into the document (as long as the nesting, which has no limit in a hostile file), its second line or
     * its advice to programmers.
     */
    private static String syntaxError(JsonParseException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        message = message.replaceFirst("^[a-z][\\w.]*\\.[A-Z]\\w*(Exception|Error): ", "");
        // The document is read leniently; only what follows it is checked strictly, and Gson's advice for that is
        // for a programmer ("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON").
        message = message.replaceFirst("^Use JsonReader\\.set\\w+\\([^)]*\\) to accept malformed JSON",
                "text after the end of the JSON object");
        int path = message.indexOf(" path $");
        if (path >= 0) {
            message = message.substring(0, path);
        }
        return message.length() > MAX_SYNTAX_MESSAGE ? message.substring(0, MAX_SYNTAX_MESSAGE) + "..." : message;
    }

    private static JsonObject costModel(CostModel model) {
        JsonObject object = new JsonObject();
        object.addProperty("name", model.name());
        object.addProperty("source", model.source());
        JsonObject cycles = new JsonObject();
        for (CostCategory category : CostCategory.values()) {
            Double value = model.cyclesPerEvent().get(category);
            if (value != null) {
                cycles.addProperty(name(category), value);
            }
        }
        object.add("cyclesPerEvent", cycles);
        return object;
    }

    private static JsonObject cell(Comparison comparison, Cell cell) {
        JsonObject object = new JsonObject();
        object.addProperty("workload", cell.workload());
        object.addProperty("strategy", cell.strategy());
        object.addProperty("status", cell.failure().orElse("ok"));
        object.addProperty("ok", cell.ok());
        if (!cell.ok() && cell.instructions() == 0) { // nothing ran
            return object;
        }
        object.addProperty("instructions", cell.instructions());
        object.addProperty("wallNanos", cell.wallNanos());
        object.addProperty("wallSeconds", cell.wallNanos() / 1e9);
        if (!cell.wallRuns().isEmpty()) {
            JsonArray runs = new JsonArray();
            cell.wallRuns().forEach(runs::add);
            object.add("wallRunsNanos", runs);
        }
        object.addProperty("modeledCycles", Math.round(comparison.modeledCycles(cell)));
        addRatio(object, "overheadModeled", comparison.modeledOverhead(cell));
        addRatio(object, "overheadWall", comparison.wallOverhead(cell));
        JsonObject events = new JsonObject();
        for (CostCategory category : CostCategory.values()) {
            events.addProperty(name(category), cell.counters().events(category));
        }
        object.add("events", events);
        object.add("counters", counters(cell.counters()));
        cell.fixedPart().ifPresent(fixed -> {
            JsonObject part = new JsonObject();
            part.addProperty("modeledCycles", Math.round(comparison.costModel().modeledCycles(fixed)));
            part.add("counters", counters(fixed));
            object.add("fixedPart", part);
        });
        return object;
    }

    /**
     * Puts each {@code wallRunsNanos} array on its key's line (Gson's pretty printing gives every element a line of
     * its own), so that dropping the wall-clock lines leaves what deterministic runs have in common.
     */
    private static String oneLineWallRuns(String json) {
        Matcher matcher = WALL_RUNS.matcher(json);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            String runs = String.join(", ", matcher.group(2).strip().split("\\s*,\\s*"));
            matcher.appendReplacement(text, Matcher.quoteReplacement(matcher.group(1) + runs + "]"));
        }
        matcher.appendTail(text);
        return text.toString();
    }

    private static JsonArray counters(CounterSnapshot snapshot) {
        JsonArray counters = new JsonArray();
        for (Map.Entry<CounterKey, Long> entry : snapshot.byQualifiedName()) {
            JsonObject counter = new JsonObject();
            counter.addProperty("group", entry.getKey().group());
            counter.addProperty("reason", entry.getKey().reason());
            counter.addProperty("category", name(entry.getKey().category()));
            counter.addProperty("value", entry.getValue());
            counters.add(counter);
        }
        return counters;
    }

    /** A ratio, or null where it is undefined (a baseline cell failed, or nothing is left net of the fixed part). */
    private static void addRatio(JsonObject object, String name, OptionalDouble value) {
        if (value.isPresent()) {
            object.addProperty(name, Math.round(value.getAsDouble() * 10000) / 10000.0);
        } else {
            object.add(name, JsonNull.INSTANCE);
        }
    }

    private static Cell readCell(JsonObject object) {
        String workload = object.get("workload").getAsString();
        String strategy = object.get("strategy").getAsString();
        if (!flag(object.get("ok"))) {
            String status = object.get("status").getAsString();
            if (!object.has("counters")) { // nothing ran
                return Cell.failed(workload, strategy, status);
            }
            // A run that failed its check keeps what it counted, for whoever looks into why.
            return new Cell(workload, strategy, Optional.of(status), count(object.get("instructions")),
                    count(object.get("wallNanos")), readCounters(object.getAsJsonArray("counters")));
        }
        Optional<CounterSnapshot> fixedPart = object.has("fixedPart")
                ? Optional.of(readCounters(object.getAsJsonObject("fixedPart").getAsJsonArray("counters")))
                : Optional.empty();
        List<Long> wallRuns = new ArrayList<>();
        if (object.has("wallRunsNanos")) {
            for (JsonElement run : object.getAsJsonArray("wallRunsNanos")) {
                wallRuns.add(count(run));
            }
            if (wallRuns.size() < 2) { // one run has no list (a cell that ran once)
                throw new Malformed("wallRunsNanos lists " + wallRuns.size() + " run(s), not several");
            }
        }
        return new Cell(workload, strategy, Optional.empty(), count(object.get("instructions")),
                count(object.get("wallNanos")), readCounters(object.getAsJsonArray("counters")), fixedPart,
                wallRuns);
    }

    private static CounterSnapshot readCounters(JsonArray array) {
        Map<CounterKey, Long> values = new HashMap<>();
        for (JsonElement element : array) {
            JsonObject counter = element.getAsJsonObject();
            values.put(new CounterKey(counter.get("group").getAsString(), counter.get("reason").getAsString(),
                    category(counter.get("category").getAsString())), count(counter.get("value")));
        }
        return new CounterSnapshot(values);
    }

    /**
     * A count: a whole number from 0 to 2^53 (exact as a double, so sums and prices of counts stay exact; a run
     * would need months to count that far).
     */
    private static long count(JsonElement element) {
        BigDecimal value = element.getAsBigDecimal();
        if (value.signum() < 0 || value.compareTo(MAX_COUNT) > 0) {
            throw new Malformed("count " + shown(value) + " is out of range (0 to 2^53)");
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new Malformed("count " + shown(value) + " is not a whole number");
        }
    }

    /**
     * A number as an error message shows it: as written when short, else rounded ({@code 1.00000E+300}), since a
     * hostile file's number may have thousands of digits (or an exponent as large) and the error is one line.
     */
    private static String shown(BigDecimal value) {
        // Digits plus scale bound the written form's length without making it (1e-9999 is 10,000 characters).
        if (value.precision() + Math.abs((long) value.scale()) <= MAX_SHOWN_NUMBER) {
            return value.toPlainString();
        }
        return value.round(SHOWN_DIGITS).toString();
    }

    private static CostModel readCostModel(JsonObject object) {
        Map<CostCategory, Double> cycles = new EnumMap<>(CostCategory.class);
        for (Map.Entry<String, JsonElement> entry : object.getAsJsonObject("cyclesPerEvent").entrySet()) {
            cycles.put(category(entry.getKey()), entry.getValue().getAsDouble());
        }
        try {
            return new CostModel(object.get("name").getAsString(), object.get("source").getAsString(), cycles);
        } catch (IllegalArgumentException e) { // a price the model refuses (negative, not finite)
            throw new Malformed("its cost model: " + e.getMessage());
        }
    }

    private static CostCategory category(String name) {
        try {
            return CostCategory.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Malformed("unknown cost category '" + name + "'");
        }
    }

    private static String name(CostCategory category) {
        return category.name().toLowerCase(Locale.ROOT);
    }

    private static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    /**
     * Reads the workloads or the strategies: each once (a name listed twice printed its row or column twice), each
     * a name a live comparison takes (they go to the terminal as they are).
     */
    private static List<String> readNames(JsonArray array, String what, Consumer<String> check) {
        List<String> names = readStrings(array);
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            check.accept(name);
            if (!seen.add(name)) {
                throw new Malformed(what + " '" + name + "' is listed twice");
            }
        }
        return names;
    }

    private static void checkWorkloadName(String name) {
        if (!GuestSuite.isWorkloadName(name)) {
            throw new Malformed("a workload name is lower-case letters, digits and _: '"
                    + StrategyVariant.escaped(name) + "'");
        }
    }

    private static void checkStrategyLabel(String label) {
        try {
            StrategyVariant.parse(label); // a label a live comparison takes
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    private static List<String> readStrings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.getAsString()));
        return values;
    }
}
