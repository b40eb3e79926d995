package io.vmmlab.cli;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.compare.Cell;
import io.vmmlab.runtime.compare.Comparison;
import io.vmmlab.runtime.compare.ComparisonChart;
import io.vmmlab.runtime.compare.ComparisonCsv;
import io.vmmlab.runtime.compare.ComparisonJson;
import io.vmmlab.runtime.compare.ComparisonRunner;
import io.vmmlab.runtime.compare.ComparisonTable;
import io.vmmlab.runtime.compare.GuestSuite;
import io.vmmlab.runtime.compare.StrategyVariant;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vmm compare}: runs each workload of the guest suite under each strategy, checks every {@code RESULT}
 * line, and prints one table of counters, modeled cycles and overheads; or re-prices a saved result under another
 * cost model without running anything.
 */
@Command(name = "compare", description = {
    "Run each workload of the guest suite under each strategy and compare counters, modeled cycles and overheads.",
    "Each cell is one VM run of the bundled kernel with 'workloads=W scale=N' (the paravirtual build for "
        + "strategies that need one); 'boot' runs no workload. Exits 1 when a run of an installed strategy fails."})
final class CompareCommand implements Callable<Integer> {
    private static final String DEFAULT_STRATEGIES = "native,fullvirt/trap,fullvirt/bt,paravirt,hwassist";

    private final Plugins plugins;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--workloads", split = ",", description = "Workloads to run, in order; 'boot' boots and powers "
            + "off only, and when present overheads are net of it. Default: boot and the bundled suite's nine.")
    private List<String> workloads = defaultWorkloads();

    @Option(names = "--strategies", split = ",", description = "Strategies as NAME or NAME/TECHNIQUE; default "
            + DEFAULT_STRATEGIES + ".")
    private List<String> strategies = new ArrayList<>(List.of(DEFAULT_STRATEGIES.split(",")));

    @Option(names = "--scale", defaultValue = "1",
            description = "Multiply every workload's iterations; default ${DEFAULT-VALUE}.")
    private int scale;

    @Option(names = "--cost-model", description = "Preset name (instructions-only, pentium4-2006, modern-x86, "
            + "riscv-rocket-h) or a cost-model file; default " + CostModelCatalog.DEFAULT + ".")
    private String costModel = CostModelCatalog.DEFAULT;

    @Option(names = "--format", defaultValue = "table",
            description = "Output: table, csv or json; default ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--out", description = "Also write compare.csv, compare.json and compare.svg into this directory.")
    private Path out;

    @Option(names = "--reprice", description = "Read a JSON result of an earlier 'vmm compare' and price its "
            + "counters under --cost-model, without running anything.")
    private Path reprice;

    @Option(names = "--deterministic", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Derive time from retired instructions (default) so two runs give identical counters.")
    private boolean deterministic;

    @Option(names = "--kernel", defaultValue = "bundled:kernel-native",
            description = "Guest kernel for unmodified-guest strategies; default ${DEFAULT-VALUE}.")
    private String kernel;

    @Option(names = "--pv-kernel", defaultValue = "bundled:kernel-pv",
            description = "Guest kernel for strategies that need a paravirtualized guest; default ${DEFAULT-VALUE}.")
    private String paravirtKernel;

    @Option(names = "--timeout", defaultValue = "600",
            description = "Wall-time limit of each run in seconds; 0 for none; default ${DEFAULT-VALUE}.")
    private double timeoutSeconds;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the progress line.")
    private boolean quiet;

    CompareCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    private static List<String> defaultWorkloads() {
        List<String> names = new ArrayList<>(List.of(GuestSuite.BOOT));
        names.addAll(GuestSuite.BUNDLED_WORKLOADS);
        return names;
    }

    @Override
    public Integer call() {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json: '" + format + "'");
        }
        if (timeoutSeconds < 0 || Double.isNaN(timeoutSeconds)) {
            throw new IllegalArgumentException("--timeout must not be negative");
        }
        CostModel model = CostModelCatalog.presets().resolve(costModel);
        Comparison comparison = reprice != null ? readSaved(reprice).repriced(model) : runComparison(model);
        PrintWriter output = spec.commandLine().getOut();
        output.print(switch (format) {
            case "csv" -> ComparisonCsv.format(comparison);
            case "json" -> ComparisonJson.format(comparison);
            default -> ComparisonTable.format(comparison);
        });
        output.flush();
        if (out != null) {
            writeFiles(comparison);
        }
        return reprice == null && anyRunFailed(comparison) ? ExitCodes.GUEST_FAILURE : ExitCodes.SUCCESS;
    }

    private Comparison runComparison(CostModel model) {
        List<StrategyVariant> variants = strategies.stream().map(StrategyVariant::parse).toList();
        GuestSuite suite = new GuestSuite(kernel, paravirtKernel, workloads, scale, GuestSuite.DEFAULT_DISK_BYTES);
        PrintWriter err = spec.commandLine().getErr();
        ComparisonRunner runner = new ComparisonRunner(plugins, quiet ? (number, total, workload, strategy) -> { }
                : (number, total, workload, strategy) -> {
                    err.printf("vmm compare: run %d of %d: %s under %s (%d remain after it)%n", number, total,
                            workload, strategy, total - number);
                    err.flush();
                });
        if (!quiet) {
            err.println("vmm compare: warming up (one untimed boot per strategy)");
        }
        return runner.warmingUp().run(suite, variants, model, deterministic,
                Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }

    private static boolean anyRunFailed(Comparison comparison) {
        for (Cell cell : comparison.cells()) {
            String reason = cell.failure().orElse("");
            if (!cell.ok() && !reason.equals("not installed") && !reason.startsWith("technique unknown")) {
                return true;
            }
        }
        return false;
    }

    private static Comparison readSaved(Path file) {
        try {
            return ComparisonJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void writeFiles(Comparison comparison) {
        try {
            Files.createDirectories(out);
            write(out.resolve("compare.csv"), ComparisonCsv.format(comparison));
            write(out.resolve("compare.json"), ComparisonJson.format(comparison));
            write(out.resolve("compare.svg"), ComparisonChart.svg(comparison));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write into " + out + ": " + e.getMessage());
        }
        if (!quiet) {
            spec.commandLine().getErr().println("vmm compare: wrote compare.csv, compare.json and compare.svg to "
                    + out);
        }
    }

    private static void write(Path target, String content) throws IOException {
        Files.writeString(target, content, StandardCharsets.UTF_8);
    }
}
