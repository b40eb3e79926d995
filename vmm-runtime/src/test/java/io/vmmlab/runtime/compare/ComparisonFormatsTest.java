package io.vmmlab.runtime.compare;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;
import io.vmmlab.runtime.experiment.WorkloadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

final class ComparisonFormatsTest {
    @TempDir
    Path directory;

    private Comparison comparison() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), FakeStrategies::fakeRun,
                ProgressListener.SILENT);
        return runner.run(GuestSuite.bundled(List.of("nullcall", "privreg"), 1),
                List.of("native", "twotech/trap", "pvfake", "hwassist").stream().map(StrategyVariant::parse).toList(),
                FakeStrategies.MODEL, true, Duration.ZERO);
    }

    /** Runs workloads under native and twotech/trap, each cell {@code rounds} times. */
    private Comparison nativeAndTrap(List<String> workloads, int rounds) {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), FakeStrategies::fakeRun,
                ProgressListener.SILENT);
        return runner.run(GuestSuite.bundled(workloads, 1),
                List.of(StrategyVariant.parse("native"), StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL,
                true, Duration.ZERO, rounds);
    }

    @Test
    void overheadsAreRelativeToNativeForTheSameWorkload() {
        Comparison comparison = comparison();
        Cell trap = comparison.cell("nullcall", "twotech/trap").orElseThrow();

        // native: 1,000,000 cycles; twotech: 2,000,000 instructions + 2,000 trap round trips * 100 cycles; each net
        // of its zero-iteration run: 400,000 instructions (+ 400 traps * 100 under twotech)
        assertThat(comparison.modeledCycles(trap)).isEqualTo(2_200_000.0);
        assertThat(comparison.overheadsNetOfFixedParts()).isTrue();
        assertThat(comparison.modeledOverhead(trap).getAsDouble()).isCloseTo(1_760_000.0 / 600_000.0,
                within(1e-9));
        assertThat(comparison.wallOverhead(trap).getAsDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(comparison.modeledOverhead(comparison.cell("nullcall", "hwassist").orElseThrow())).isEmpty();
    }

    @Test
    void withoutFixedPartsButWithABootRowOverheadsAreNetOfEachStrategysBoot() {
        Comparison measured = nativeAndTrap(List.of("boot", "nullcall"), 1);
        // As read from the JSON of an older VMMLab, which measured no fixed parts.
        Comparison comparison = new Comparison(measured.workloads(), measured.strategies(), 1, true,
                FakeStrategies.MODEL, measured.cells().stream().map(cell -> new Cell(cell.workload(), cell.strategy(),
                        cell.failure(), cell.instructions(), cell.wallNanos(), cell.counters())).toList());

        // twotech: (2,000,000 + 2,000 * 100) - (400,000 + 400 * 100); native: 1,000,000 - 400,000
        assertThat(comparison.overheadsNetOfBoot()).isTrue();
        assertThat(comparison.modeledOverhead(comparison.cell("nullcall", "twotech/trap").orElseThrow())
                .getAsDouble()).isCloseTo(1_760_000.0 / 600_000.0, within(1e-9));
        assertThat(comparison.modeledOverhead(comparison.cell("boot", "twotech/trap").orElseThrow())
                .getAsDouble()).isCloseTo(440_000.0 / 400_000.0, within(1e-9));
        assertThat(ComparisonTable.format(comparison)).startsWith(
                "cost model: test-model; scale 1; deterministic time; 1 hart, rv64imac_sstc, sv57; overheads modeled net "
                        + "of each strategy's boot run, wall of whole runs");
    }

    @Test
    void aComparisonOfTheBootRowAloneSaysItsOverheadsAreOfWholeRuns() {
        Comparison comparison = nativeAndTrap(List.of("boot"), 1);

        assertThat(comparison.overheadsNetOfBoot()).isFalse();
        assertThat(ComparisonTable.format(comparison)).startsWith(
                "cost model: test-model; scale 1; deterministic time; 1 hart, rv64imac_sstc, sv57; overheads of whole runs");
    }

    @Test
    void repricingChangesModeledCyclesButNotCounters() {
        Comparison comparison = comparison();
        CostModel expensiveTraps = new CostModel("expensive", "test", Map.of(CostCategory.INSTRUCTION, 1.0,
                CostCategory.TRAP_ROUND_TRIP, 1000.0));
        Comparison repriced = comparison.repriced(expensiveTraps);
        Cell trap = repriced.cell("nullcall", "twotech/trap").orElseThrow();

        assertThat(repriced.cells()).isEqualTo(comparison.cells());
        assertThat(repriced.modeledCycles(trap)).isEqualTo(4_000_000.0);
        // (4,000,000 - (400,000 + 400 * 1000)) / (1,000,000 - 400,000)
        assertThat(repriced.modeledOverhead(trap).getAsDouble()).isCloseTo(3_200_000.0 / 600_000.0, within(1e-9));
    }

    @Test
    void jsonReadsBackToTheSameComparison() {
        Comparison comparison = comparison();

        Comparison read = ComparisonJson.parse(ComparisonJson.format(comparison), "test.json");

        assertThat(read).isEqualTo(comparison);
        assertThat(read.cell("privreg", "hwassist").orElseThrow().failure()).contains("not installed");
    }

    @Test
    void repeatedRunsShowInEveryFormatAndReadBack() {
        Comparison comparison = nativeAndTrap(List.of("nullcall"), 3);
        String json = ComparisonJson.format(comparison);

        assertThat(ComparisonJson.parse(json, "test.json")).isEqualTo(comparison);
        assertThat(json.lines().filter(line -> line.contains("wallRunsNanos"))).hasSize(2).allMatch(line ->
                line.strip().matches("\"wallRunsNanos\": \\[[0-9]+, [0-9]+, [0-9]+\\],"));
        assertThat(json).contains("\"wallRunsNanos\": [").contains("\"overheads\": \"modeled net of each workload's "
                + "zero-iteration run, wall the median of 3 whole runs\"");
        assertThat(ComparisonCsv.format(comparison).lines().skip(1))
                .allMatch(line -> line.endsWith(",3,1,rv64imac_sstc,,sv57"));
        assertThat(ComparisonTable.format(comparison)).contains("wall the median of 3 whole runs");
    }

    @Test
    void theSetupReadsBackAndAResultWrittenBeforeCompareHadOneRanTheDefault() {
        Comparison measured = comparison();
        RunSetup setup = new RunSetup(2, "rv64imac", "quiet", AddressTranslation.SV39);
        Comparison onTwoHarts = new Comparison(measured.workloads(), measured.strategies(), measured.scale(),
                measured.deterministic(), measured.costModel(), measured.cells(), setup);
        String json = ComparisonJson.format(onTwoHarts);

        assertThat(json).contains("\"harts\": 2,").contains("\"isa\": \"rv64imac\",")
                .contains("\"append\": \"quiet\",").contains("\"mmu\": \"sv39\",");
        assertThat(ComparisonJson.parse(json, "two.json").setup()).isEqualTo(setup);
        String older = json.replace("  \"harts\": 2,\n", "").replace("  \"isa\": \"rv64imac\",\n", "")
                .replace("  \"append\": \"quiet\",\n", "").replace("  \"mmu\": \"sv39\",\n", "");
        assertThat(older).doesNotContain("harts").doesNotContain("append").doesNotContain("mmu");
        assertThat(ComparisonJson.parse(older, "older.json").setup()).as("before --smp, --isa, --append, --mmu")
                .isEqualTo(new RunSetup(1, "rv64imac_sstc", "", AddressTranslation.SV48));
        assertThat(ComparisonJson.parse(json.replace("  \"append\": \"quiet\",\n", ""), "no-append.json").setup())
                .isEqualTo(new RunSetup(2, "rv64imac", "", AddressTranslation.SV39));
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"mmu\": \"sv39\"", "\"mmu\": \"sv32\""),
                "m.json")).hasMessage("cannot read m.json as a 'vmm compare' JSON result: unknown page-table mode "
                + "'sv32' (--mmu takes sv39, sv48 or sv57)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"harts\": 2,", "\"harts\": 12,"), "e.json"))
                .hasMessage("cannot read e.json as a 'vmm compare' JSON result: harts 12 is not 1 to 8");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"harts\": 2,", "\"harts\": 2.5,"), "f.json"))
                .hasMessage("cannot read f.json as a 'vmm compare' JSON result: count 2.5 is not a whole number");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"harts\": 2,", "\"harts\": \"2\","), "g.json"))
                .hasMessage("cannot read g.json as a 'vmm compare' JSON result: a number field holds \"2\"");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"isa\": \"rv64imac\"", "\"isa\": [\"rv64imac\"]"),
                "h.json")).hasMessage("cannot read h.json as a 'vmm compare' JSON result: a text field holds "
                + "[\"rv64imac\"]");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"isa\": \"rv64imac\"", "\"isa\": \"rv32i\""),
                "i.json")).hasMessage("cannot read i.json as a 'vmm compare' JSON result: ISA string must start with "
                + "rv64: 'rv32i'");
        assertThat(ComparisonTable.format(onTwoHarts).lines().findFirst().orElseThrow())
                .contains("; 2 harts, rv64imac, sv39, append 'quiet';");
    }

    @Test
    void jsonPutsWallClockFieldsOnLinesOfTheirOwn() {
        String json = ComparisonJson.format(comparison());

        assertThat(json.lines().filter(line -> line.contains("wallNanos"))).allMatch(line ->
                line.strip().matches("\"wallNanos\": [0-9]+,"));
        assertThat(json).contains("\"overheadModeled\": 2.9333,").contains("\"status\": \"not installed\"");
    }

    @Test
    void aFailedZeroIterationRunLeavesOnlyItsCellWithoutAnOverhead() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            if (experiment.spec().strategy().equals("twotech") && experiment.spec().append().contains("privreg=0")) {
                throw new IllegalArgumentException("the fixed part cannot run");
            }
            return FakeStrategies.fakeRun(experiment);
        }, ProgressListener.SILENT);
        Comparison comparison = runner.run(GuestSuite.bundled(List.of("nullcall", "privreg"), 1),
                List.of(StrategyVariant.parse("native"), StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL,
                true, Duration.ZERO);

        assertThat(comparison.overheadsNetOfFixedParts()).isTrue();
        assertThat(comparison.modeledOverhead(comparison.cell("privreg", "twotech/trap").orElseThrow())).isEmpty();
        assertThat(comparison.modeledOverhead(comparison.cell("nullcall", "twotech/trap").orElseThrow())
                .getAsDouble()).isCloseTo(1_760_000.0 / 600_000.0, within(1e-9));
    }

    @Test
    void aKernelThatIgnoresZeroIterationsGetsWholeRunOverheadsNotNonsenseOnes() {
        // As a guest that does not read the W=0 option: its zero-iteration run is the whole run.
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            VmSpec spec = experiment.spec();
            VmSpec ignoring = new VmSpec(spec.strategy(), spec.technique(), spec.cpu(), spec.isa(), spec.harts(),
                    spec.memoryBytes(), spec.kernel(), spec.initrd(), spec.append().replaceAll(" [a-z]+=0 ", " "),
                    spec.firmware(), spec.devices(), spec.maxInstructions(), spec.timeout(), spec.deterministic());
            return FakeStrategies.fakeRun(new Experiment(ignoring, experiment.scratchDiskBytes(),
                    experiment.costModel()));
        }, ProgressListener.SILENT);
        Comparison comparison = runner.run(GuestSuite.bundled(List.of("nullcall"), 1),
                List.of(StrategyVariant.parse("native"), StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL,
                true, Duration.ZERO);

        // No fixed part is kept (a warning says why), so the comparison falls back to whole runs, and says so.
        assertThat(comparison.cell("nullcall", "twotech/trap").orElseThrow().fixedPart()).isEmpty();
        assertThat(comparison.overheadsNetOfFixedParts()).isFalse();
        assertThat(comparison.modeledOverhead(comparison.cell("nullcall", "twotech/trap").orElseThrow())
                .getAsDouble()).isCloseTo(2.2, within(1e-9));
        assertThat(ComparisonTable.format(comparison)).contains("overheads of whole runs");
    }

    @Test
    void aCellThatFailedItsCheckKeepsItsCountersInTheJson() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), experiment -> {
            ExperimentResult ran = FakeStrategies.fakeRun(experiment);
            String console = ran.console().replace("check=ok", "check=FAIL");
            return new ExperimentResult(ran.strategy(), ran.outcome(), ran.instructions(), ran.wallNanos(),
                    ran.counters(), ran.costModel(), console, WorkloadResult.parseAll(console));
        }, ProgressListener.SILENT);
        Comparison failing = runner.run(GuestSuite.bundled(List.of("nullcall"), 1),
                List.of(StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL, true, Duration.ZERO);

        Comparison read = ComparisonJson.parse(ComparisonJson.format(failing), "failing.json");

        Cell cell = read.cell("nullcall", "twotech/trap").orElseThrow();
        assertThat(cell.failure()).contains("check=FAIL");
        assertThat(cell.instructions()).isEqualTo(2_000_000);
        assertThat(cell.counters()).isEqualTo(failing.cells().get(0).counters());
    }

    @Test
    void jsonSaysNullWhereAnOverheadIsUndefined() {
        ComparisonRunner runner = new ComparisonRunner(FakeStrategies.plugins(directory), FakeStrategies::fakeRun,
                ProgressListener.SILENT);
        Comparison withoutNative = runner.run(GuestSuite.bundled(List.of("nullcall"), 1),
                List.of(StrategyVariant.parse("twotech/trap")), FakeStrategies.MODEL, true, Duration.ZERO);

        assertThat(ComparisonJson.format(withoutNative)).contains("\"overheadModeled\": null,")
                .contains("\"overheadWall\": null,");
    }

    @Test
    void readingSomethingElseIsAOneLineError() {
        assertThatThrownBy(() -> ComparisonJson.parse("{\"strategy\": \"native\"}", "run.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run.json is not a 'vmm compare' JSON result (format vmmlab-compare-1)");
        assertThatThrownBy(() -> ComparisonJson.parse("not json at all", "x.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read x.json");
        assertThatThrownBy(() -> ComparisonJson.parse("{\"format\": \"vmmlab-compare-1\"}", "y.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read y.json");
    }

    @Test
    void textThatIsNotAComparisonSaysWhyWithoutGsonsInternals() {
        String prefix = "cannot read z.json as a 'vmm compare' JSON result: ";
        assertThatThrownBy(() -> ComparisonJson.parse("{{{", "z.json"))
                .hasMessage(prefix + "Expected name at line 1 column 2");
        assertThatThrownBy(() -> ComparisonJson.parse("{\"format\": 1} x", "z.json"))
                .hasMessage(prefix + "text after the end of the JSON object at line 1 column 16");
        assertThatThrownBy(() -> ComparisonJson.parse("", "z.json")).hasMessage(prefix + "it is empty");
        assertThatThrownBy(() -> ComparisonJson.parse("workload,strategy,status\nboot,native,ok\n", "z.json"))
                .hasMessage(prefix + "it is not JSON (the JSON is what --format json prints and --out DIR writes as "
                        + "compare.json)");
        assertThatThrownBy(() -> ComparisonJson.parse("[1, 2]", "z.json")).hasMessage(prefix + "it is not a JSON object");
        assertThatThrownBy(() -> ComparisonJson.parse("[".repeat(100_000), "z.json"))
                .satisfies(e -> assertThat(e.getMessage()).startsWith(prefix).doesNotContain("$[0]").hasSizeLessThan(200));
        String json = ComparisonJson.format(comparison());
        assertThatThrownBy(() -> ComparisonJson.parse(json.replaceFirst("\"strategy\": \"[a-z/]*\"",
                "\"strategy\": null"), "z.json")).hasMessage(prefix + "a field is missing, null or of the wrong type");
    }

    @Test
    void aCorruptSavedComparisonIsAOneLineErrorThatSaysWhy() {
        String json = ComparisonJson.format(comparison());
        String instructions = json.lines().filter(line -> line.contains("\"instructions\"")).findFirst()
                .orElseThrow().strip();

        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions, "\"instructions\": \"x\","),
                "a.json")).hasMessage("cannot read a.json as a 'vmm compare' JSON result: a field is missing, null "
                + "or of the wrong type");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions, "\"instructions\": -5,"),
                "b.json")).hasMessage("cannot read b.json as a 'vmm compare' JSON result: count -5 is out of range (0 to "
                + "2^53)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions, "\"instructions\": 1.5,"),
                "e.json")).hasMessageEndingWith("count 1.5 is not a whole number");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions,
                "\"instructions\": 99999999999999999999999,"), "f.json"))
                .hasMessageEndingWith("count 99999999999999999999999 is out of range (0 to 2^53)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions,
                "\"instructions\": 1" + "0".repeat(5000) + ","), "h.json"))
                .hasMessageEndingWith("count 1.00000E+5000 is out of range (0 to 2^53)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replaceFirst("\"instruction\": [0-9.]+",
                "\"instruction\": -5"), "k.json")).hasMessage("cannot read k.json as a 'vmm compare' JSON result: its "
                + "cost model: cost must be a finite non-negative number: -5.0");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions, "\"instructions\": 1e300,"),
                "i.json")).hasMessageEndingWith("count 1E+300 is out of range (0 to 2^53)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace(instructions, "\"instructions\": 1e-300,"),
                "j.json")).hasMessageEndingWith("count 1E-300 is not a whole number");
        String firstCell = json.substring(json.indexOf("\"cells\": [") + 11, json.indexOf("\n    },") + 6);
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"cells\": [", "\"cells\": [" + firstCell + ","),
                "g.json")).hasMessageStartingWith("cannot read g.json as a 'vmm compare' JSON result: two cells of ");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"workload\": \"privreg\"",
                "\"workload\": \"other\""), "c.json")).hasMessageEndingWith("is not in the lists of workloads "
                + "and strategies");
        assertThatThrownBy(() -> ComparisonJson.parse(json + " trailing", "d.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read d.json")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aSavedScaleBeyondAnIntIsRefusedNotNarrowed() {
        String json = ComparisonJson.format(comparison());

        // Gson's getAsInt kept the low 32 bits: 1e30 read as 1073741824, 2^31 as -2147483648.
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"scale\": 1,", "\"scale\": 1e30,"), "a.json"))
                .hasMessage("cannot read a.json as a 'vmm compare' JSON result: count 1E+30 is out of range (0 "
                        + "to 2^53)");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"scale\": 1,", "\"scale\": 2147483648,"),
                "b.json")).hasMessageEndingWith("scale 2147483648 is not 1 to " + Integer.MAX_VALUE);
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"scale\": 1,", "\"scale\": 2.5,"), "c.json"))
                .hasMessageEndingWith("count 2.5 is not a whole number");
        assertThat(ComparisonJson.parse(json.replace("\"scale\": 1,", "\"scale\": 2147483647,"), "d.json").scale())
                .isEqualTo(Integer.MAX_VALUE);
    }

    /** Gson's getAsBoolean reads any text as false: a saved comparison's true/false fields must be true or false. */
    @Test
    void aSavedComparisonsFlagsMustBeTrueOrFalse() {
        String json = ComparisonJson.format(comparison());

        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"deterministic\": true",
                "\"deterministic\": \"yes\""), "c.json")).hasMessage("cannot read c.json as a 'vmm compare' JSON "
                + "result: a true/false field holds something else");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replaceFirst("\"ok\": true", "\"ok\": 1"), "d.json"))
                .hasMessageEndingWith("a true/false field holds something else");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replaceFirst("\"ok\": true", "\"ok\": \"true\""),
                "e.json")).hasMessageEndingWith("a true/false field holds something else");
    }

    @Test
    void aSavedComparisonNamesEachWorkloadAndStrategyOnceAndWorkloadsAsTheSuiteDoes() {
        String json = ComparisonJson.format(comparison());

        // A list naming one twice printed that row or column twice.
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"nullcall\",\n    \"privreg\"",
                "\"nullcall\",\n    \"privreg\",\n    \"nullcall\""), "a.json"))
                .hasMessage("cannot read a.json as a 'vmm compare' JSON result: workload 'nullcall' is listed twice");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"native\",\n    \"twotech/trap\"",
                "\"native\",\n    \"twotech/trap\",\n    \"native\""), "b.json"))
                .hasMessageEndingWith("strategy 'native' is listed twice");
        // Names go to the terminal as they are: a control character there is the file's, never a workload's.
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"privreg\"", "\"priv\\u001b[2Jreg\""),
                "c.json")).hasMessageEndingWith("a workload name is lower-case letters, digits and _: "
                + "'priv\\u001b[2Jreg'");
        assertThatThrownBy(() -> ComparisonJson.parse(json.replace("\"hwassist\"", "\"hw\\nassist\""),
                "d.json")).hasMessageEndingWith("a strategy label holds a control character: 'hw\\u000aassist'");
    }

    @Test
    void aSavedComparisonTooLargeForAnyRealRunIsRefusedBeforeItIsPriced() {
        String json = ComparisonJson.format(comparison());
        String workloads = IntStream.range(0, 101).mapToObj(i -> "\"w" + i + "\"")
                .collect(Collectors.joining(", "));
        String strategies = IntStream.range(0, 100).mapToObj(i -> "\"s" + i + "\"")
                .collect(Collectors.joining(", "));
        String huge = json.substring(0, json.indexOf("  \"workloads\"")) + "  \"workloads\": [" + workloads
                + "],\n  \"strategies\": [" + strategies + "],\n  \"cells\": []\n}\n";

        // Its table looks each cell up in the list of cells: 300 x 300 cells took minutes, a 64 MiB file hours.
        assertThatThrownBy(() -> ComparisonJson.parse(huge, "huge.json"))
                .hasMessage("cannot read huge.json as a 'vmm compare' JSON result: 101 workloads under 100 "
                        + "strategies are more than 10000 cells");
    }

    @Test
    void csvHasOneRowPerCellAndEmptyFieldsWhereNothingRan() {
        List<String> lines = ComparisonCsv.format(comparison()).lines().toList();

        assertThat(lines).hasSize(1 + 2 * 4);
        assertThat(lines.get(0)).startsWith("workload,strategy,status,instructions,guest_trap,trap_round_trip,")
                .endsWith(",modeled_cycles,overhead_modeled,overhead_wall,wall_seconds,cost_model,scale,time,"
                        + "overhead_basis,fixed_instructions,fixed_modeled_cycles,wall_runs,harts,isa,append,mmu");
        assertThat(lines.get(2)).startsWith("nullcall,twotech/trap,ok,2000000,0,2000,0,0,")
                .contains(",2200000,2.9333,2.0000,")
                .endsWith(",test-model,1,deterministic,zero-iteration-run,400000,440000,1,1,rv64imac_sstc,,sv57");
        assertThat(lines.get(4)).isEqualTo("nullcall,hwassist,not installed,,,,,,,,,,,,,,,,test-model,1,"
                + "deterministic,zero-iteration-run,,,,1,rv64imac_sstc,,sv57");
        assertThat(ComparisonCsv.quote("a,b \"c\"")).isEqualTo("\"a,b \"\"c\"\"\"");
    }

    @Test
    void tableShowsEventsOverheadsAndWhyACellIsEmpty() {
        String table = ComparisonTable.format(comparison());

        assertThat(table.lines().findFirst().orElseThrow())
                .isEqualTo("cost model: test-model; scale 1; deterministic time; 1 hart, rv64imac_sstc, sv57; overheads "
                        + "modeled net of each workload's zero-iteration run, wall of whole runs");
        assertThat(table).contains("overhead").contains("wall-overhead").contains("hypercalls");
        List<String> header = List.of(table.lines().skip(1).findFirst().orElseThrow().split("\\s+"));
        String trapRow = table.lines().filter(line -> line.startsWith("nullcall  twotech/trap")).findFirst()
                .orElseThrow();
        assertThat(trapRow).contains("2,000,000").contains("2,200,000").contains("2.93x");
        assertThat(trapRow.split("\\s+")[header.indexOf("translations")]).isEqualTo("200");
        assertThat(table.lines().filter(line -> line.startsWith("privreg   hwassist")).findFirst().orElseThrow())
                .endsWith("(not installed)");
    }

    @Test
    void chartIsWellFormedSvgWithABarPerMeasuredCellAndACrossPerEmptyOne() throws Exception {
        String svg = ComparisonChart.svg(comparison());

        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("<title>nullcall twotech/trap: 2.93x</title>")
                .contains("<title>nullcall pvfake: 1.00 hypercalls per 1,000 instructions</title>"
                        .replace("1.00 hyper", "1.000 hyper"))
                .contains("<title>hwassist: not installed</title>")
                .contains("Exits per 1,000 guest instructions (whole runs), by kind");
    }

    @Test
    void logarithmicTicksCoverTheRangeInOneTwoFiveSteps() {
        assertThat(ComparisonChart.niceTicks(0.5, 1.05)).containsExactly(0.5, 1.0, 2.0);
        assertThat(ComparisonChart.niceTicks(0.5, 60)).containsExactly(0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0);
        assertThat(ComparisonChart.niceTicks(0.01, 0.9)).containsExactly(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0);
    }
}
