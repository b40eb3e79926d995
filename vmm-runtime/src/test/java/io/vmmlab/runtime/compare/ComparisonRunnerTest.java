package io.vmmlab.runtime.compare;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;
import io.vmmlab.runtime.experiment.WorkloadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class ComparisonRunnerTest {
    @TempDir
    Path directory;

    private final List<String> progress = new ArrayList<>();
    private final List<Experiment> experiments = new ArrayList<>();

    private Comparison compare(List<String> workloads, String... variants) {
        Plugins plugins = FakeStrategies.plugins(directory);
        ComparisonRunner runner = new ComparisonRunner(plugins, experiment -> {
            experiments.add(experiment);
            return FakeStrategies.fakeRun(experiment);
        }, (number, total, workload, strategy) -> progress.add(number + "/" + total + " " + workload + " "
                + strategy));
        return runner.run(GuestSuite.bundled(workloads, 2), List.of(variants).stream().map(StrategyVariant::parse)
                .toList(), FakeStrategies.MODEL, true, Duration.ZERO);
    }

    @Test
    void cellsOfStrategiesThatCannotRunSayWhyAndTheOthersRun() {
        Comparison comparison = compare(List.of("nullcall", "boot"), "native", "twotech/trap", "twotech/jit",
                "hwassist", "native/trap");

        assertThat(comparison.strategies()).containsExactly("native", "twotech/trap", "twotech/jit", "hwassist",
                "native/trap");
        assertThat(comparison.cell("nullcall", "native").orElseThrow().ok()).isTrue();
        assertThat(comparison.cell("nullcall", "twotech/trap").orElseThrow().ok()).isTrue();
        assertThat(comparison.cell("nullcall", "twotech/jit").orElseThrow().failure())
                .contains("technique unknown (has trap, bt)");
        assertThat(comparison.cell("boot", "hwassist").orElseThrow().failure()).contains("not installed");
        assertThat(comparison.cell("boot", "native/trap").orElseThrow().failure())
                .contains("technique unknown (the strategy has none)");
        assertThat(progress).containsExactly("1/4 nullcall native", "2/4 nullcall twotech/trap", "3/4 boot native",
                "4/4 boot twotech/trap");
    }

    @Test
    void eachRunIsOneWorkloadAtTheScaleOnTheKernelTheStrategyNeeds() {
        compare(List.of("ptmod"), "native", "pvfake", "twotech/bt");

        // Each cell's run, then the same workload with zero iterations (its fixed part).
        assertThat(experiments).extracting(experiment -> experiment.spec().append())
                .containsExactly("workloads=ptmod scale=2", "workloads=ptmod ptmod=0 scale=2",
                        "workloads=ptmod scale=2", "workloads=ptmod ptmod=0 scale=2",
                        "workloads=ptmod scale=2", "workloads=ptmod ptmod=0 scale=2");
        assertThat(experiments).extracting(experiment -> experiment.spec().kernel().orElseThrow().getFileName()
                .toString().contains("kernel-pv")).containsExactly(false, false, true, true, false, false);
        assertThat(experiments.get(4).spec().technique()).contains("bt");
        assertThat(experiments.get(5).spec().technique()).contains("bt");
        assertThat(experiments).allSatisfy(experiment -> {
            assertThat(experiment.spec().deterministic()).isTrue();
            assertThat(experiment.scratchDiskBytes()).isEqualTo(GuestSuite.DEFAULT_DISK_BYTES);
        });
    }

    @Test
    void everyRunGetsTheSuitesSetupAndTheComparisonKeepsIt() {
        RunSetup setup = new RunSetup(2, "rv64imac", "quiet");
        GuestSuite suite = GuestSuite.bundled(List.of("ptmod"), 1).withSetup(setup);
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            experiments.add(experiment);
            return FakeStrategies.fakeRun(experiment);
        }, ProgressListener.SILENT);

        Comparison comparison = runner.run(suite, List.of(StrategyVariant.parse("native")), FakeStrategies.MODEL, true,
                Duration.ZERO);

        assertThat(experiments).extracting(experiment -> experiment.spec().append())
                .containsExactly("quiet workloads=ptmod scale=1", "quiet workloads=ptmod ptmod=0 scale=1");
        assertThat(experiments).hasSize(2).allSatisfy(experiment -> {
            assertThat(experiment.spec().harts()).isEqualTo(2);
            assertThat(experiment.spec().isa().canonical()).isEqualTo("rv64imac_zicntr_zicsr_zifencei");
        });
        assertThat(comparison.setup()).isEqualTo(setup);
        assertThat(GuestSuite.bundled(List.of("ptmod"), 1).setup()).isEqualTo(RunSetup.DEFAULT);
    }

    @Test
    void theBootPseudoWorkloadRunsNoWorkload() {
        compare(List.of("boot"), "native");

        assertThat(experiments.get(0).spec().append()).isEqualTo("workloads= scale=2");
    }

    @Test
    void aRunThatCannotStartSaysWhyInItsCell() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            throw new IllegalArgumentException("strategy twotech needs the H extension");
        }, ProgressListener.SILENT);

        Comparison comparison = runner.run(GuestSuite.bundled(List.of("mmio"), 1),
                List.of(StrategyVariant.parse("twotech")), FakeStrategies.MODEL, true, Duration.ZERO);

        assertThat(comparison.cells().get(0).failure()).contains("cannot run: strategy twotech needs the H extension");
    }

    /** A fake run whose wall time is the next of the given ones (in nanoseconds), in the order runs happen. */
    private static java.util.function.Function<Experiment, ExperimentResult> timed(List<Long> walls,
            java.util.function.LongUnaryOperator instructions) {
        java.util.Iterator<Long> next = walls.iterator();
        return experiment -> {
            ExperimentResult run = FakeStrategies.fakeRun(experiment);
            return new ExperimentResult(run.strategy(), run.outcome(), instructions.applyAsLong(run.instructions()),
                    next.next(), run.counters(), run.costModel(), run.console(), run.workloads());
        };
    }

    @Test
    void repeatedCellsRunRoundAfterRoundAndTakeTheMedianWallTime() {
        List<String> seen = new ArrayList<>();
        // Round 1: nullcall native + its fixed part, then twotech + its fixed part; rounds 2 and 3: the cells again.
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory),
                timed(List.of(50L, 1L, 900L, 2L, 70L, 700L, 60L, 800L), count -> count),
                (number, total, workload, strategy) -> seen.add(number + "/" + total + " " + strategy));

        Comparison comparison = runner.run(GuestSuite.bundled(List.of("nullcall"), 1),
                List.of(StrategyVariant.parse("native"), StrategyVariant.parse("twotech/trap"), StrategyVariant.parse(
                        "hwassist")), FakeStrategies.MODEL, true, Duration.ZERO, 3);

        Cell native0 = comparison.cell("nullcall", "native").orElseThrow();
        assertThat(native0.wallRuns()).containsExactly(50L, 70L, 60L);
        assertThat(native0.wallNanos()).isEqualTo(60);
        Cell twotech = comparison.cell("nullcall", "twotech/trap").orElseThrow();
        assertThat(twotech.wallRuns()).containsExactly(900L, 700L, 800L);
        assertThat(twotech.wallNanos()).isEqualTo(800);
        assertThat(twotech.fixedPart()).isPresent();
        assertThat(comparison.wallOverhead(twotech).getAsDouble()).isEqualTo(800.0 / 60);
        assertThat(comparison.wallRunCount()).isEqualTo(3);
        assertThat(comparison.cell("nullcall", "hwassist").orElseThrow().failure()).contains("not installed");
        assertThat(seen).containsExactly("1/6 native", "2/6 twotech/trap", "3/6 native", "4/6 twotech/trap",
                "5/6 native", "6/6 twotech/trap");
    }

    @Test
    void aDeterministicCellThatRepeatsDifferentlyFailsKeepingItsFirstRun() {
        int[] calls = {0};
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory),
                timed(List.of(5L, 1L, 6L), count -> calls[0]++ == 2 ? count + 1 : count), ProgressListener.SILENT);

        Cell cell = runner.run(GuestSuite.bundled(List.of("mmio"), 1), List.of(StrategyVariant.parse("native")),
                FakeStrategies.MODEL, true, Duration.ZERO, 2).cells().get(0);

        assertThat(cell.failure()).contains("run 2 of 2 retired 1000001 instructions, the first 1000000 (not "
                + "deterministic)");
        assertThat(cell.instructions()).isEqualTo(1_000_000);
        assertThat(cell.wallNanos()).isEqualTo(5);
        assertThat(cell.fixedPart()).as("as any failed cell").isEmpty();
    }

    @Test
    void aComparisonWithACellThatFailedARepeatReadsBackFromJson() {
        int[] calls = {0};
        ComparisonRunner failing = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            if (calls[0]++ == 5) { // twotech's run in round 2
                throw new IllegalArgumentException("the guest timed out");
            }
            return FakeStrategies.fakeRun(experiment);
        }, ProgressListener.SILENT);

        Comparison comparison = failing.run(GuestSuite.bundled(List.of("nullcall"), 1),
                List.of(StrategyVariant.parse("native"), StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL,
                true, Duration.ZERO, 2);

        assertThat(comparison.cell("nullcall", "twotech/trap").orElseThrow().failure())
                .contains("run 2 of 2 failed: cannot run: the guest timed out");
        assertThat(ComparisonJson.parse(ComparisonJson.format(comparison), "saved.json")).isEqualTo(comparison);
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheMiddleTwo() {
        Cell cell = Cell.failed("w", "s", "x").withWallRuns(List.of(40L, 10L, 30L, 20L));

        assertThat(cell.wallNanos()).isEqualTo(25);
        assertThat(cell.wallRuns()).containsExactly(40L, 10L, 30L, 20L);
    }

    @Test
    void oneRunGivesNoWallRunsAndRepeatsMustBePositive() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), FakeStrategies::fakeRun,
                ProgressListener.SILENT);

        Comparison comparison = runner.run(GuestSuite.bundled(List.of("mmio"), 1),
                List.of(StrategyVariant.parse("native")), FakeStrategies.MODEL, true, Duration.ZERO, 1);

        assertThat(comparison.cells().get(0).wallRuns()).isEmpty();
        assertThat(comparison.wallRunCount()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.run(GuestSuite.bundled(List.of("mmio"), 1),
                List.of(StrategyVariant.parse("native")), FakeStrategies.MODEL, true, Duration.ZERO, 0))
                .hasMessage("repeats must be at least 1: 0");
    }

    @Test
    void checkAcceptsOnlyAPassingResultLineAndACleanPowerOff() {
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=ok\n",
                GuestOutcome.Status.POWERED_OFF))).isEmpty();
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=FAIL reason=value\n",
                GuestOutcome.Status.GUEST_FAILED))).contains("check=FAIL value");
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=ptmod iters=5 check=ok\n",
                GuestOutcome.Status.POWERED_OFF))).contains("no RESULT line: the console has no well-formed 'RESULT name=mmio iters=N ...' line (the end)");
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=ok\n",
                GuestOutcome.Status.LIMIT_REACHED))).contains("the end");
        assertThat(ComparisonRunner.check("boot", result("SUITE done results=0 failed=0 ticks=0\n",
                GuestOutcome.Status.POWERED_OFF))).isEmpty();
        assertThat(ComparisonRunner.check("boot", result("", GuestOutcome.Status.INTERNAL_ERROR)))
                .contains("no clean boot: the end");
    }

    @Test
    void aBootNeedsOnlyACleanPowerOffUnlessItsSuiteLineSaysSomethingFailed() {
        assertThat(ComparisonRunner.check("boot", result("Linux version 6.1\nVMMLAB-INIT: hello\n",
                GuestOutcome.Status.POWERED_OFF))).isEmpty();
        assertThat(ComparisonRunner.check("boot", result("Linux version 6.1\n", GuestOutcome.Status.LIMIT_REACHED)))
                .contains("no clean boot: the end");
        assertThat(ComparisonRunner.check("boot", result("Kernel panic - not syncing\nRebooting in 1 seconds\n",
                GuestOutcome.Status.REBOOT_REQUESTED))).as("a reboot is no clean power-off")
                .contains("no clean boot: the end");
        assertThat(ComparisonRunner.check("boot", result("SUITE done results=0 failed=1 reason=panic\n",
                GuestOutcome.Status.POWERED_OFF))).contains("no clean boot: the console's 'SUITE done' line is not "
                + "'SUITE done results=0 failed=0' (the end)");
    }

    private static ExperimentResult result(String console, GuestOutcome.Status status) {
        return new ExperimentResult("native", new GuestOutcome(status, "the end"), 1, 1,
                new CounterSnapshot(Map.of()), FakeStrategies.MODEL, console, WorkloadResult.parseAll(console));
    }

    @Test
    void strategyVariantsParseAndLabel() {
        assertThat(StrategyVariant.parse(" fullvirt/bt ")).isEqualTo(new StrategyVariant("fullvirt",
                Optional.of("bt")));
        assertThat(StrategyVariant.parse("paravirt").label()).isEqualTo("paravirt");
        for (String bad : new String[] {"", "/bt", "fullvirt/", "a/b/c"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrategyVariant.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
