package io.vmmlab.cli;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.Option;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.cli.args.ValueType;
import io.vmmlab.runtime.bootstrap.VmmBootstrap;
import io.vmmlab.runtime.compare.Cell;
import io.vmmlab.runtime.compare.Comparison;
import io.vmmlab.runtime.compare.ComparisonChart;
import io.vmmlab.runtime.compare.ComparisonCsv;
import io.vmmlab.runtime.compare.ComparisonJson;
import io.vmmlab.runtime.compare.ComparisonRunner;
import io.vmmlab.runtime.compare.ComparisonTable;
import io.vmmlab.runtime.compare.GuestSuite;
import io.vmmlab.runtime.compare.RunSetup;
import io.vmmlab.runtime.compare.StrategyVariant;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.loader.BundledGuests;
import io.vmmlab.runtime.loader.ElfImage;
import io.vmmlab.runtime.loader.ImageLoader;
import io.vmmlab.runtime.loader.InputFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * {@code vmm compare}: runs each workload of the guest suite under each strategy, checks every {@code RESULT}
 * line, and prints one table of counters, modeled cycles and overheads; or re-prices a saved result under another
 * cost model without running anything.
 */
final class CompareCommand implements Command {
    private static final String DEFAULT_STRATEGIES = "native,fullvirt/trap,fullvirt/bt,paravirt,hwassist";

    /** The largest saved comparison --reprice reads (the full suite's is tens of kilobytes). */
    private static final long MAX_SAVED_BYTES = 64 << 20;
    /** The files --out writes. */
    private static final List<String> OUT_FILES = List.of("compare.csv", "compare.json", "compare.svg");
    private static final Option<String> WORKLOADS = Option.of("--workloads", "WORKLOAD", ValueType.STRING,
            "Workloads to run, in order; 'boot' boots and powers off only. Each other workload also runs with zero "
            + "iterations, and modeled overheads are net of that. Default: boot and the bundled suite's nine.").separatedBy(",")
            .withDefaultInDescription(String.join(",", defaultWorkloads()));
    private static final Option<String> STRATEGIES = Option.of("--strategies", "STRATEGY", ValueType.STRING,
            "Strategies as NAME or NAME/TECHNIQUE.").separatedBy(",").withDefault(DEFAULT_STRATEGIES);
    private static final Option<Integer> SCALE = Option.of("--scale", "N", ValueType.INT,
            "Multiply every workload's iterations.").withDefault("1");
    private static final Option<String> COST_MODEL = Option.of("--cost-model", "MODEL", ValueType.STRING,
            "Preset name (instructions-only, pentium4-2006, modern-x86, riscv-rocket-h) or a cost-model file.")
            .withDefault(CostModelCatalog.DEFAULT);
    private static final Option<String> FORMAT = Option.of("--format", "FORMAT", ValueType.STRING,
            "Output: table, csv or json.").withDefault("table");
    private static final Option<Path> OUT = Option.of("--out", "DIR", ValueType.PATH,
            "Also write compare.csv, compare.json and compare.svg into this directory.");
    private static final Option<Path> REPRICE = Option.of("--reprice", "FILE", ValueType.PATH,
            "Read a JSON result of an earlier 'vmm compare' and price its counters under --cost-model, without "
            + "running anything.");
    private static final Option<Boolean> DETERMINISTIC = Option.negatableFlag("--deterministic",
            "Derive time from retired instructions (default) so two runs give identical counters.")
            .withDefaultInDescription("true");
    private static final Option<String> KERNEL = Option.of("--kernel", "IMAGE", ValueType.STRING,
            "Guest kernel for unmodified-guest strategies.").withDefault(GuestSuite.BUNDLED_KERNEL);
    private static final Option<String> PARAVIRT_KERNEL = Option.of("--pv-kernel", "IMAGE", ValueType.STRING,
            "Guest kernel for strategies that need a paravirtualized guest; with --kernel, none unless given (their "
            + "cells then stay empty).").withDefault(GuestSuite.BUNDLED_PARAVIRTUAL_KERNEL);
    private static final Option<Integer> HARTS = Option.of("--smp", "N", ValueType.INT,
            "Harts of every run, 1 to 8 (the guest starts the others itself; paravirt runs its guest on one).")
            .withDefault("1");
    private static final Option<String> ISA = Option.of("--isa", "ISA", ValueType.STRING,
            "Hart ISA string of every run, as for 'vmm run'.")
            .withDefault(RunSetup.DEFAULT.isa());
    private static final Option<String> MMU = Option.of("--mmu", "MODE", ValueType.STRING,
            "Largest page-table mode the harts offer in every run (sv39, sv48 or sv57), as for 'vmm run'; "
            + "paravirt's guest gets sv39 tables whatever it is.")
            .withDefault(RunSetup.DEFAULT.translation().displayName());
    private static final Option<String> APPEND = Option.of("--append", "TEXT", ValueType.STRING,
            "Kernel command-line text for every run, before the workload selection (such as Linux's 'quiet'; none "
            + "by default); it may not set workloads=, scale= or a workload's count.");
    private static final Option<Double> TIMEOUT = Option.of("--timeout", "SECONDS", ValueType.DOUBLE,
            "Wall-time limit of each run in seconds; 0 for none.").withDefault("600");
    /** The most runs per cell --repeat takes: a bound against typing mistakes, not a recommendation. */
    private static final int MAX_REPEATS = 1000;
    private static final Option<Integer> REPEAT = Option.of("--repeat", "N", ValueType.INT,
            "Run every cell N times, round after round, and give each its median wall time (counters come from the "
            + "first round; a deterministic run that repeats differently fails its cell).").withDefault("1");
    private static final Option<Boolean> QUIET = Option.flag("--quiet", "Do not print the progress line.")
            .withShortName("-q");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("compare", List.of(
            "Run each workload of the guest suite under each strategy and compare counters, modeled cycles and "
                + "overheads.",
            "Each cell is one VM run of the bundled kernel (or --kernel) with '[--append text] workloads=W scale=N' "
                + "(the paravirtual build for strategies that need one), and one with 'W=0', whose cost modeled "
                + "overheads are net of; 'boot' runs no workload and needs only a clean power-off. Exits 1 when a run "
                + "of an installed strategy fails."),
            List.of(WORKLOADS, STRATEGIES, SCALE, COST_MODEL, FORMAT, OUT, REPRICE, DETERMINISTIC, KERNEL,
                    PARAVIRT_KERNEL, HARTS, ISA, MMU, APPEND, TIMEOUT, REPEAT, QUIET));

    private final Supplier<Plugins> plugins;
    private final Invocation invocation;

    CompareCommand(Supplier<Plugins> plugins, Invocation invocation) {
        this.plugins = plugins;
        this.invocation = invocation;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    private static List<String> defaultWorkloads() {
        List<String> names = new ArrayList<>(List.of(GuestSuite.BOOT));
        names.addAll(GuestSuite.BUNDLED_WORKLOADS);
        return names;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        String format = arguments.value(FORMAT);
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json: '" + format + "'");
        }
        Duration timeout = WallTimeLimit.of(arguments.value(TIMEOUT));
        boolean quiet = arguments.value(QUIET);
        CostModel model = invocation.resolveCostModel(arguments.value(COST_MODEL));
        Optional<Path> reprice = arguments.optionalValue(REPRICE).map(invocation::resolve);
        Optional<Path> directory = arguments.optionalValue(OUT).map(invocation::resolve);
        List<Path> inputs = inputFiles(arguments, reprice);
        Comparison comparison;
        if (reprice.isPresent()) {
            // What selects and runs guests has no meaning for a saved result: say so rather than ignore it.
            for (Option<?> running : List.of(WORKLOADS, STRATEGIES, SCALE, DETERMINISTIC, KERNEL, PARAVIRT_KERNEL,
                    HARTS, ISA, MMU, APPEND, TIMEOUT, REPEAT)) {
                if (arguments.isGiven(running)) {
                    throw new IllegalArgumentException(running.name() + " selects what runs; --reprice runs "
                            + "nothing (it prices the saved result's cells as they are)");
                }
            }
            directory.ifPresent(files -> checkOut(files, inputs));
            comparison = readSaved(reprice.get()).repriced(model);
        } else {
            try {
                comparison = runComparison(arguments, model, timeout, quiet, err, directory, inputs);
            } catch (CancellationException e) { // the client went away before a run
                return ExitCodes.CLIENT_GONE;
            }
            if (invocation.abandoned().getAsBoolean()) { // ... or during the last: write nothing
                return ExitCodes.CLIENT_GONE;
            }
        }
        out.print(switch (format) {
            case "csv" -> ComparisonCsv.format(comparison);
            case "json" -> ComparisonJson.format(comparison);
            default -> ComparisonTable.format(comparison);
        });
        out.flush();
        if (directory.isPresent()) {
            writeFiles(directory.get(), comparison);
            if (!quiet) {
                err.println("vmm compare: wrote compare.csv, compare.json and compare.svg to " + directory.get());
            }
        }
        return reprice.isEmpty() && anyRunFailed(comparison) ? ExitCodes.GUEST_FAILURE : ExitCodes.SUCCESS;
    }

    private Comparison runComparison(ParsedArguments arguments, CostModel model, Duration timeout, boolean quiet,
                                     PrintWriter err, Optional<Path> directory, List<Path> inputs) {
        List<StrategyVariant> variants = arguments.values(STRATEGIES).stream().map(StrategyVariant::parse).toList();
        ComparisonRunner.requireDistinct(variants);
        Comparison.requireSize(arguments.values(WORKLOADS).size(), variants.size()); // what --reprice reads back
        int repeats = arguments.value(REPEAT);
        if (repeats < 1 || repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("--repeat must be 1 to " + MAX_REPEATS + ": " + repeats);
        }
        if (variants.stream().noneMatch(variant -> plugins.get().strategies().contains(variant.strategy()))) {
            throw new IllegalArgumentException("none of these strategies is installed: " + String.join(",",
                    arguments.values(STRATEGIES)) + " (see 'vmm strategies')");
        }
        if (arguments.isGiven(STRATEGIES)) { // a mistyped technique; the default list may name absent plugins
            for (StrategyVariant variant : variants) {
                requireKnownTechnique(variant);
            }
        }
        String kernel = checkedKernel(invocation.resolveImage(arguments.value(KERNEL)));
        if (kernel.equals(GuestSuite.BUNDLED_KERNEL)) { // its workloads are known; another kernel's are its own
            for (String workload : arguments.values(WORKLOADS)) {
                if (!workload.equals(GuestSuite.BOOT) && !GuestSuite.BUNDLED_WORKLOADS.contains(workload)) {
                    throw new IllegalArgumentException("unknown workload '" + workload + "'; the bundled kernel "
                            + "has " + GuestSuite.BOOT + ", " + String.join(", ", GuestSuite.BUNDLED_WORKLOADS));
                }
            }
        }
        // A guest of one's own has no paravirtualized build unless one is given: the bundled one is another guest.
        String paravirtualKernel = !kernel.equals(GuestSuite.BUNDLED_KERNEL) && !arguments.isGiven(PARAVIRT_KERNEL) ? ""
                : checkedKernel(invocation.resolveImage(arguments.value(PARAVIRT_KERNEL)));
        RunSetup setup = new RunSetup(arguments.value(HARTS), arguments.value(ISA),
                arguments.optionalValue(APPEND).orElse(""), AddressTranslation.parse(arguments.value(MMU)));
        if (plugins.get().cpus().contains(Experiment.DEFAULT_CPU)) { // an ISA the harts lack would fail every cell
            plugins.get().cpus().require(Experiment.DEFAULT_CPU).checkIsa(IsaSpec.parse(setup.isa()));
        }
        GuestSuite suite = new GuestSuite(kernel, paravirtualKernel, arguments.values(WORKLOADS),
                arguments.value(SCALE), GuestSuite.DEFAULT_DISK_BYTES, setup);
        // After the checks of the command line (a usage error leaves no directory behind), before the runs.
        directory.ifPresent(files -> checkOut(files, inputs));
        ComparisonRunner runner = new ComparisonRunner(plugins.get(), (number, total, workload, strategy) -> {
            if (invocation.abandoned().getAsBoolean()) { // its client went away: run nothing more
                throw new CancellationException("vmm compare: the client went away");
            }
            if (!quiet) {
                err.printf("vmm compare: run %d of %d: %s under %s (%d remain after it)%n", number, total,
                        workload, strategy, total - number);
                err.flush();
            }
        });
        if (!quiet) {
            err.println("vmm compare: warming up (one untimed boot per strategy)");
        }
        return runner.warmingUp().run(suite, variants, model, arguments.value(DETERMINISTIC), timeout, repeats);
    }

    /** An installed strategy named with a technique it does not have is bad input, as it is for 'vmm run'. */
    private void requireKnownTechnique(StrategyVariant variant) {
        if (variant.technique().isEmpty() || !plugins.get().strategies().contains(variant.strategy())) {
            return;
        }
        VmmBootstrap.unknownTechnique(plugins.get().strategies().require(variant.strategy()), variant.technique().get())
                .ifPresent(message -> {
                    throw new IllegalArgumentException(message);
                });
    }

    /**
     * Reads a kernel once before any run: a missing or corrupt image is bad input (exit 2), not a failure in every
     * cell of the table after a warm-up run per strategy.
     */
    private String checkedKernel(String image) {
        Path file = new BundledGuests(getClass().getClassLoader()).resolve(image);
        byte[] bytes = ImageLoader.read(file);
        if (ElfImage.isElf(bytes)) {
            ElfImage.parse(image, bytes);
        }
        return image;
    }

    /** The files the command reads: a saved comparison, a cost-model file, kernel images given as files. */
    private List<Path> inputFiles(ParsedArguments arguments, Optional<Path> reprice) {
        List<Path> inputs = new ArrayList<>();
        reprice.ifPresent(inputs::add);
        String costModel = arguments.value(COST_MODEL);
        if (!CostModelCatalog.presets().names().contains(costModel)) {
            inputs.add(invocation.resolve(costModel));
        }
        for (Option<String> image : List.of(KERNEL, PARAVIRT_KERNEL)) {
            String value = arguments.value(image);
            if (!value.isEmpty() && !value.startsWith(BundledGuests.PREFIX)) {
                inputs.add(invocation.resolve(value));
            }
        }
        return inputs;
    }

    /** Checks --out's directory, and that its files would not replace the command's inputs (as --report's). */
    private static void checkOut(Path directory, List<Path> inputs) {
        OutputFiles.checkDirectory(directory, OUT_FILES);
        OutputFiles.checkNotAnInputInto(directory, OUT_FILES, inputs);
    }

    private static boolean anyRunFailed(Comparison comparison) {
        for (Cell cell : comparison.cells()) {
            String reason = cell.failure().orElse("");
            if (!cell.ok() && !reason.equals(ComparisonRunner.NOT_INSTALLED) && !reason.startsWith("technique unknown")
                    && !reason.equals(ComparisonRunner.NO_PARAVIRTUALIZED_GUEST)) {
                return true;
            }
        }
        return false;
    }

    private static Comparison readSaved(Path file) {
        try {
            return ComparisonJson.parse(InputFiles.readText(file, MAX_SAVED_BYTES), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + InputFiles.reason(e));
        }
    }

    private static void writeFiles(Path directory, Comparison comparison) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(OUT_FILES.get(0), ComparisonCsv.format(comparison));
        files.put(OUT_FILES.get(1), ComparisonJson.format(comparison));
        files.put(OUT_FILES.get(2), ComparisonChart.svg(comparison));
        OutputFiles.writeInto(directory, files);
    }
}
