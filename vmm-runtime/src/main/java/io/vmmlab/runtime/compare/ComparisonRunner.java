package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;
import io.vmmlab.runtime.experiment.WorkloadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a guest suite's workloads under several strategies, one VM per workload and strategy, and checks each
 * run's {@code RESULT} line. Strategies are found in the plugin catalog by name, never by class: a strategy that
 * is not installed, or lacks the technique asked for, gets a cell saying so and the others still run.
 */
public final class ComparisonRunner {
    private static final Logger log = LoggerFactory.getLogger(ComparisonRunner.class);
    /** Why the cell of a strategy that is not on the class path is empty. */
    public static final String NOT_INSTALLED = "not installed";
    /** Why the cell of a strategy that needs a ported guest is empty when the suite has none. */
    public static final String NO_PARAVIRTUALIZED_GUEST = "no paravirtualized build of this guest (--pv-kernel)";
    /** How a guest of the suite's kind ends its console output. */
    private static final String SUITE_LINE = "SUITE done";
    /** The suite line of a boot with no workload in which nothing failed. */
    private static final String CLEAN_SUITE_LINE = "SUITE done results=0 failed=0";

    private final Plugins plugins;
    private final Function<Experiment, ExperimentResult> runner;
    private final ProgressListener progress;
    private final boolean warmUp;

    /**
     * Creates a runner that runs experiments on the given plugins.
     *
     * @param plugins the installed plugins
     * @param progress hears each run as it starts
     */
    public ComparisonRunner(Plugins plugins, ProgressListener progress) {
        this(plugins, experiment -> experiment.run(plugins), progress, false);
    }

    /**
     * Creates a runner with its own way of running an experiment (tests use a fake).
     *
     * @param plugins the installed plugins, to check names and pick kernels
     * @param runner runs one experiment
     * @param progress hears each run as it starts
     */
    public ComparisonRunner(Plugins plugins, Function<Experiment, ExperimentResult> runner,
                            ProgressListener progress) {
        this(plugins, runner, progress, false);
    }

    private ComparisonRunner(Plugins plugins, Function<Experiment, ExperimentResult> runner,
                             ProgressListener progress, boolean warmUp) {
        this.plugins = plugins;
        this.runner = runner;
        this.progress = progress;
        this.warmUp = warmUp;
    }

    /**
     * Returns a runner that first boots the kernel once under every strategy that can run, untimed and discarded,
     * so the JVM has compiled the emulator's hot paths before wall time is measured.
     *
     * @return the warming runner
     */
    public ComparisonRunner warmingUp() {
        return new ComparisonRunner(plugins, runner, progress, true);
    }

    /**
     * Runs the comparison, each cell once.
     *
     * @param suite the guest and its workloads
     * @param variants the strategies, in column order
     * @param costModel how to price the counters
     * @param deterministic whether to derive time from retired instructions
     * @param timeout wall-time limit of each run; zero for none
     * @return the comparison
     */
    public Comparison run(GuestSuite suite, List<StrategyVariant> variants, CostModel costModel,
                          boolean deterministic, Duration timeout) {
        return run(suite, variants, costModel, deterministic, timeout, 1);
    }

    /**
     * Runs the comparison, each cell {@code repeats} times: after the first round (which also measures each cell's
     * fixed part), every cell that passed runs again, round after round in the same order, so that a drift of the
     * host's speed reaches every cell alike. A cell's counters are its first run's, its wall time the median of its
     * runs ({@link Cell#withWallRuns}). A deterministic run that retires a different number of instructions when
     * repeated, or a repeat that fails, fails the cell (its first run's measurement is kept).
     *
     * @param suite the guest and its workloads
     * @param variants the strategies, in column order
     * @param costModel how to price the counters
     * @param deterministic whether to derive time from retired instructions
     * @param timeout wall-time limit of each run; zero for none
     * @param repeats runs per cell, at least 1
     * @return the comparison
     */
    public Comparison run(GuestSuite suite, List<StrategyVariant> variants, CostModel costModel,
                          boolean deterministic, Duration timeout, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1: " + repeats);
        }
        requireDistinct(variants);
        List<Optional<String>> unavailable = variants.stream().map(variant -> unavailableReason(suite, variant))
                .toList();
        int total = 0;
        for (Optional<String> reason : unavailable) {
            total += reason.isEmpty() ? suite.workloads().size() * repeats : 0;
        }
        if (warmUp) {
            for (int index = 0; index < variants.size(); index++) {
                if (unavailable.get(index).isEmpty()) {
                    Cell discarded = runCell(suite, GuestSuite.BOOT, variants.get(index), costModel, deterministic,
                            timeout);
                    log.debug("Warm-up boot under {}: {}", discarded.strategy(), discarded.failure().orElse("ok"));
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        int number = 0;
        for (String workload : suite.workloads()) {
            for (int index = 0; index < variants.size(); index++) {
                StrategyVariant variant = variants.get(index);
                if (unavailable.get(index).isPresent()) {
                    cells.add(Cell.failed(workload, variant.label(), unavailable.get(index).get()));
                    continue;
                }
                number++;
                progress.starting(number, total, workload, variant.label());
                cells.add(runCell(suite, workload, variant, costModel, deterministic, timeout));
            }
        }
        if (repeats > 1) {
            repeat(suite, variants, cells, costModel, deterministic, timeout, repeats, number, total);
        }
        return new Comparison(suite.workloads(), variants.stream().map(StrategyVariant::label).toList(),
                suite.scale(), deterministic, costModel, cells, suite.setup());
    }

    /**
     * Runs rounds 2 to {@code repeats} of the cells that passed the first, and gives each its wall times. The
     * progress count's total shrinks when a cell fails and leaves the later rounds.
     */
    private void repeat(GuestSuite suite, List<StrategyVariant> variants, List<Cell> cells, CostModel costModel,
                        boolean deterministic, Duration timeout, int repeats, int number, int total) {
        Map<String, StrategyVariant> byLabel = new HashMap<>();
        variants.forEach(variant -> byLabel.put(variant.label(), variant));
        List<List<Long>> walls = new ArrayList<>();
        for (Cell cell : cells) {
            walls.add(new ArrayList<>(List.of(cell.wallNanos())));
        }
        for (int round = 2; round <= repeats; round++) {
            // Cells that failed drop out of the later rounds, and out of the count of runs still to come.
            total = number + (repeats - round + 1) * (int) cells.stream().filter(Cell::ok).count();
            for (int index = 0; index < cells.size(); index++) {
                Cell cell = cells.get(index);
                if (!cell.ok()) {
                    continue;
                }
                StrategyVariant variant = byLabel.get(cell.strategy());
                number++;
                progress.starting(number, total, cell.workload(), cell.strategy());
                Cell again = runOnce(suite, cell.workload(), suite.commandLine(cell.workload()), variant, costModel,
                        deterministic, timeout);
                if (!again.ok()) {
                    cells.set(index, cell.failing("run " + round + " of " + repeats + " failed: "
                            + again.failure().orElseThrow()));
                } else if (deterministic && again.instructions() != cell.instructions()) {
                    cells.set(index, cell.failing("run " + round + " of " + repeats + " retired "
                            + again.instructions() + " instructions, the first " + cell.instructions()
                            + " (not deterministic)"));
                } else {
                    walls.get(index).add(again.wallNanos());
                }
            }
        }
        for (int index = 0; index < cells.size(); index++) {
            if (cells.get(index).ok()) {
                cells.set(index, cells.get(index).withWallRuns(walls.get(index)));
            }
        }
    }

    /**
     * Checks that no strategy is listed twice (its cells would be indistinguishable).
     *
     * @param variants the strategies, in column order
     * @throws IllegalArgumentException naming the list when one is
     */
    public static void requireDistinct(List<StrategyVariant> variants) {
        List<String> labels = variants.stream().map(StrategyVariant::label).toList();
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("a strategy is listed twice: " + String.join(",", labels));
        }
    }

    /**
     * Tells why a strategy variant cannot run at all, before any run.
     *
     * @param suite the guest
     * @param variant the variant
     * @return the reason, or empty when it can run
     */
    Optional<String> unavailableReason(GuestSuite suite, StrategyVariant variant) {
        if (!plugins.strategies().contains(variant.strategy())) {
            return Optional.of(NOT_INSTALLED);
        }
        if (suite.kernelFor(plugins.strategies().require(variant.strategy())).isEmpty()) {
            return Optional.of(NO_PARAVIRTUALIZED_GUEST);
        }
        List<String> techniques = plugins.strategies().require(variant.strategy()).techniques();
        if (variant.technique().isPresent() && !techniques.contains(variant.technique().get())) {
            return Optional.of(techniques.isEmpty() ? "technique unknown (the strategy has none)"
                    : "technique unknown (has " + String.join(", ", techniques) + ")");
        }
        return Optional.empty();
    }

    private Cell runCell(GuestSuite suite, String workload, StrategyVariant variant, CostModel costModel,
                         boolean deterministic, Duration timeout) {
        Cell cell = runOnce(suite, workload, suite.commandLine(workload), variant, costModel, deterministic, timeout);
        if (!cell.ok() || workload.equals(GuestSuite.BOOT)) {
            return cell;
        }
        Cell fixed = runOnce(suite, workload, suite.zeroIterationCommandLine(workload), variant, costModel,
                deterministic, timeout);
        if (!fixed.ok()) { // the cell stands; its overhead cannot be net of a fixed part
            log.warn("{} under {} with zero iterations failed ({}): its overhead is left out", workload,
                    variant.label(), fixed.failure().orElse("?"));
            return cell;
        }
        if (fixed.instructions() >= cell.instructions()) {
            log.warn("{} under {} ran as long with zero iterations ({}=0) as without: does the kernel take that "
                    + "option? Its overhead is left out", workload, variant.label(), workload);
            return cell;
        }
        return cell.withFixedPart(fixed.counters());
    }

    private Cell runOnce(GuestSuite suite, String workload, String commandLine, StrategyVariant variant,
                         CostModel costModel, boolean deterministic, Duration timeout) {
        VirtualizationStrategyProvider provider = plugins.strategies().require(variant.strategy());
        ExperimentResult result;
        try {
            Experiment.Builder builder = Experiment.builder()
                    .strategy(variant.strategy())
                    .kernel(suite.kernelFor(provider))
                    .harts(suite.setup().harts())
                    .isa(suite.setup().isa())
                    .translation(suite.setup().translation())
                    .append(commandLine)
                    .scratchDisk(suite.diskBytes())
                    .deterministic(deterministic)
                    .timeout(timeout)
                    .costModel(costModel);
            variant.technique().ifPresent(builder::technique);
            result = runner.apply(builder.build());
        } catch (IllegalArgumentException e) {
            return Cell.failed(workload, variant.label(), "cannot run: " + e.getMessage());
        } catch (RuntimeException e) { // a StrategyFailure prints as its one-line message
            log.debug("Run of {} under {} failed", workload, variant.label(), e);
            return Cell.failed(workload, variant.label(), "internal error: " + e);
        }
        Optional<String> failure = check(workload, result);
        return new Cell(workload, variant.label(), failure, result.instructions(), result.wallNanos(),
                result.counters());
    }

    /**
     * Checks a run: it powered off cleanly and printed a passing {@code RESULT} line for the workload. A
     * {@link GuestSuite#BOOT} run needs only the clean power-off, so that any guest that powers off by itself (a
     * Linux whose init does) can be compared; one that prints a suite line must say in it that nothing failed.
     *
     * @param workload the workload
     * @param result the run
     * @return why the run does not count, or empty when it does
     */
    static Optional<String> check(String workload, ExperimentResult result) {
        if (workload.equals(GuestSuite.BOOT)) {
            if (result.console().contains(SUITE_LINE) && !result.console().contains(CLEAN_SUITE_LINE)) {
                return Optional.of("no clean boot: the console's '" + SUITE_LINE + "' line is not '"
                        + CLEAN_SUITE_LINE + "' (" + result.outcome().message() + ")");
            }
            if (!result.poweredOff()) {
                return Optional.of("no clean boot: " + result.outcome().message());
            }
        } else {
            Optional<WorkloadResult> line = result.workload(workload);
            if (line.isEmpty()) {
                return Optional.of("no RESULT line: the console has no well-formed 'RESULT name=" + workload
                        + " iters=N ...' line (" + result.outcome().message() + ")");
            }
            if (!line.get().passed()) {
                return Optional.of("check=" + line.get().fields().getOrDefault("check", "?")
                        + Optional.ofNullable(line.get().fields().get("reason")).map(reason -> " " + reason)
                        .orElse(""));
            }
        }
        if (!result.poweredOff()) {
            return Optional.of(result.outcome().message());
        }
        return Optional.empty();
    }
}
