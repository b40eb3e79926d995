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

    @Test
    void checkAcceptsOnlyAPassingResultLineAndACleanPowerOff() {
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=ok\n",
                GuestOutcome.Status.POWERED_OFF))).isEmpty();
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=FAIL reason=value\n",
                GuestOutcome.Status.GUEST_FAILED))).contains("check=FAIL value");
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=ptmod iters=5 check=ok\n",
                GuestOutcome.Status.POWERED_OFF))).contains("no RESULT line: the end");
        assertThat(ComparisonRunner.check("mmio", result("RESULT name=mmio iters=5 check=ok\n",
                GuestOutcome.Status.LIMIT_REACHED))).contains("the end");
        assertThat(ComparisonRunner.check("boot", result("SUITE done results=0 failed=0 ticks=0\n",
                GuestOutcome.Status.POWERED_OFF))).isEmpty();
        assertThat(ComparisonRunner.check("boot", result("", GuestOutcome.Status.INTERNAL_ERROR)))
                .contains("no clean boot: the end");
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
