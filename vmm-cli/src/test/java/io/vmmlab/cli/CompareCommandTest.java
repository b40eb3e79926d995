package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs 'vmm compare' in-process on the bundled kernel with the strategies on the class path. */
final class CompareCommandTest {
    private static final String WORKLOADS = "boot,privreg";
    private static final String STRATEGIES = "native,fullvirt/trap,paravirt,nosuch";

    @TempDir
    Path directory;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int vmm(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Vmm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static String withoutWallClock(String json) {
        return json.lines().filter(line -> !line.matches("\\s*\"(wallNanos|wallSeconds|overheadWall|wallRunsNanos)\".*"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void twoDeterministicComparisonsGiveIdenticalCounters() {
        assertThat(vmm("compare", "-q", "--workloads", WORKLOADS, "--strategies", STRATEGIES, "--format", "json"))
                .as(err.toString()).isEqualTo(ExitCodes.SUCCESS);
        String first = out.toString();
        assertThat(vmm("compare", "-q", "--workloads", WORKLOADS, "--strategies", STRATEGIES, "--format", "json"))
                .isEqualTo(ExitCodes.SUCCESS);
        String second = out.toString();

        assertThat(first).contains("\"strategy\": \"fullvirt/trap\"").contains("\"group\": \"trap-emulate\"");
        assertThat(withoutWallClock(second)).isEqualTo(withoutWallClock(first));
    }

    @Test
    void tableExplainsCellsThatCannotRunAndShowsProgress() {
        assertThat(vmm("compare", "--workloads", "privreg", "--strategies", STRATEGIES))
                .as(err.toString()).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString())
                .startsWith("cost model: pentium4-2006; scale 1; deterministic time; 1 hart, rv64imac_sstc, sv57; overheads "
                        + "modeled net of each workload's zero-iteration run, wall of whole runs")
                .contains("(not installed)");
        assertThat(out.toString().lines().filter(line -> line.matches("privreg +fullvirt/trap .*")).findFirst()
                .orElseThrow()).matches(".*[0-9.]+x .*");
        assertThat(err.toString()).contains("vmm compare: run 1 of 3: privreg under native (2 remain after it)")
                .contains("run 3 of 3: privreg under paravirt (0 remain after it)");
    }

    @Test
    void repeatRunsEveryCellAgainAndReportsTheMedianWallTime() {
        assertThat(vmm("compare", "--workloads", "privreg", "--strategies", "native,fullvirt/trap", "--repeat", "2",
                "--format", "json")).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).contains("wall the median of 2 whole runs");
        assertThat(out.toString().lines().filter(line -> line.contains("\"wallRunsNanos\": ["))).hasSize(2);
        assertThat(err.toString()).contains("run 2 of 4: privreg under fullvirt/trap")
                .contains("run 4 of 4: privreg under fullvirt/trap (0 remain after it)");
    }

    @Test
    void repeatMustBeAPositiveCountAndRunsSomething() throws IOException {
        assertThat(vmm("compare", "--workloads", "boot", "--repeat", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --repeat must be 1 to 1000: 0");
        err.getBuffer().setLength(0);
        Path saved = Files.writeString(directory.resolve("saved.json"), "{}");

        assertThat(vmm("compare", "--reprice", saved.toString(), "--repeat", "3")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).startsWith("vmm: --repeat selects what runs; --reprice runs nothing");
    }

    @Test
    void aTechniqueTheInstalledStrategyLacksIsAUsageErrorBeforeAnyRun() {
        assertThat(vmm("compare", "--workloads", "privreg", "--strategies", "native,fullvirt/zzz"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: unknown technique 'zzz' for strategy fullvirt; available: "
                + "trap, bt");
    }

    @Test
    void repriceRefusesOptionsThatSelectWhatRuns() throws IOException {
        Path saved = Files.writeString(directory.resolve("saved.json"), "{}");

        assertThat(vmm("compare", "--reprice", saved.toString(), "--workloads", "nullcall"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --workloads selects what runs; --reprice runs nothing (it "
                + "prices the saved result's cells as they are)");
    }

    @Test
    void outWritesCsvJsonAndSvgThatRepriceReads() throws IOException {
        assertThat(vmm("compare", "-q", "--workloads", "privreg", "--strategies", "native,fullvirt/trap",
                "--cost-model", "instructions-only", "--out", directory.toString())).isEqualTo(ExitCodes.SUCCESS);
        String csv = Files.readString(directory.resolve("compare.csv"));
        assertThat(Files.readString(directory.resolve("compare.svg"))).startsWith("<svg ");
        assertThat(csv).contains(",instructions-only");

        assertThat(vmm("compare", "--reprice", directory.resolve("compare.json").toString(), "--cost-model",
                "modern-x86", "--format", "csv")).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).contains(",modern-x86").doesNotContain("instructions-only");
        String nativeBefore = csv.lines().filter(line -> line.startsWith("privreg,native,")).findFirst().orElseThrow();
        String nativeAfter = out.toString().lines().filter(line -> line.startsWith("privreg,native,")).findFirst()
                .orElseThrow();
        // same counters, other prices
        assertThat(nativeAfter.split(",")[3]).isEqualTo(nativeBefore.split(",")[3]);
        int modeledCycles = List.of(csv.lines().findFirst().orElseThrow().split(",")).indexOf("modeled_cycles");
        assertThat(nativeAfter.split(",")[modeledCycles]).isNotEqualTo(nativeBefore.split(",")[modeledCycles]);
    }

    @Test
    void everyRunGetsTheBoardOfSmpAndIsaAndMmuAndTheResultSaysWhichItWas() throws IOException {
        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native,fullvirt/trap", "--smp", "2",
                "--isa", "rv64imac", "--mmu", "sv48", "--out", directory.toString())).as(err.toString())
                .isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).startsWith("cost model: pentium4-2006; scale 1; deterministic time; 2 harts, "
                + "rv64imac, sv48; ");
        List<String> csv = Files.readAllLines(directory.resolve("compare.csv"));
        assertThat(csv.get(0)).endsWith(",wall_runs,harts,isa,append,mmu");
        assertThat(csv.subList(1, csv.size())).hasSize(2).allMatch(row -> row.endsWith(",1,2,rv64imac,,sv48"))
                .allMatch(row -> row.split(",")[2].equals("ok"));
        assertThat(vmm("compare", "--reprice", directory.resolve("compare.json").toString())).isEqualTo(
                ExitCodes.SUCCESS);
        assertThat(out.toString()).startsWith("cost model: pentium4-2006; scale 1; deterministic time; 2 harts, "
                + "rv64imac, sv48; ");
        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--mmu", "sv64"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .endsWith("vmm: unknown page-table mode 'sv64' (--mmu takes sv39, sv48 or sv57)");

        assertThat(vmm("compare", "--reprice", directory.resolve("compare.json").toString(), "--smp", "1"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).startsWith("vmm: --smp selects what runs; --reprice runs nothing");
    }

    @Test
    void appendedTextIsKeptInTheResultAndTheTitleAndMayNotSetTheSuitesOwnOptions() {
        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native", "--append", "quiet=1",
                "--format", "json")).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).contains("\"append\": \"quiet=1\",");
        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native", "--append", "quiet=1"))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(out.toString()).startsWith("cost model: pentium4-2006; scale 1; deterministic time; 1 hart, "
                + "rv64imac_sstc, sv57, append 'quiet=1'; ");

        assertThat(vmm("compare", "--workloads", "nullcall", "--strategies", "native", "--append", "scale=50"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --append must leave scale= to the comparison, which sets "
                + "it for every run: 'scale=50'");
    }

    @Test
    void aGuestOfOnesOwnHasNoParavirtualizedBuildUnlessOneIsGiven() {
        String kernel = new io.vmmlab.runtime.loader.BundledGuests(getClass().getClassLoader())
                .resolve("bundled:kernel-native").toString();

        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native,paravirt", "--kernel", kernel,
                "--format", "csv")).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(out.toString()).contains("\nboot,paravirt,no paravirtualized build of this guest (--pv-kernel),")
                .contains("\nboot,native,ok,");

        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native,paravirt", "--kernel", kernel,
                "--pv-kernel", "bundled:kernel-pv", "--format", "csv")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(out.toString()).contains("\nboot,paravirt,ok,");
    }

    @Test
    void aBadSmpOrIsaIsAUsageErrorBeforeAnyRun() {
        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--smp", "9", "--out",
                directory.resolve("never").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --smp must be 1 to 8: 9");
        assertThat(directory.resolve("never")).doesNotExist();

        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--isa", "rv32imac"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: ISA string must start with rv64: 'rv32imac'");

        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--isa", "rv64gcv"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).startsWith("vmm: this hart does not implement v (it implements ");
    }

    @Test
    void aKernelThatCannotBeReadIsAUsageErrorBeforeAnyRun() {
        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--kernel",
                directory.resolve("missing.elf").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: " + directory.resolve("missing.elf") + ": no such file");
    }

    @Test
    void anUnknownWorkloadOfTheBundledKernelOrNoInstalledStrategyIsAUsageError() {
        assertThat(vmm("compare", "--workloads", "boot,nosuch", "--strategies", "native")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).startsWith("vmm: unknown workload 'nosuch'; the bundled kernel has boot, "
                + "nullcall,");
        err.getBuffer().setLength(0);

        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "nosuch,other/x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: none of these strategies is installed: nosuch,other/x "
                + "(see 'vmm strategies')");
    }

    @Test
    void anOutThatWouldReplaceTheCommandsOwnInputIsAUsageError() throws IOException {
        assertThat(vmm("compare", "-q", "--workloads", "privreg", "--strategies", "native", "--cost-model",
                "instructions-only", "--out", directory.toString())).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);
        Path saved = directory.resolve("compare.json");
        String before = Files.readString(saved);

        // The saved comparison was replaced by its re-priced copy, its own cost model gone.
        assertThat(vmm("compare", "--reprice", saved.toString(), "--cost-model", "modern-x86", "--out",
                directory.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: cannot write --out file " + saved + ": it is the "
                + "command's input " + saved);
        assertThat(saved).hasContent(before);

        Path other = Files.createDirectory(directory.resolve("other"));
        Path model = Files.writeString(other.resolve("compare.csv"), "name = mine\ninstruction = 2\n");
        assertThat(vmm("compare", "--reprice", saved.toString(), "--cost-model", model.toString(), "--out",
                other.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: cannot write --out file " + model + ": it is the "
                + "command's input " + model);
        assertThat(model).hasContent("name = mine\ninstruction = 2\n");
    }

    @Test
    void aStrategyLabelWithAControlCharacterIsAUsageErrorAsRepriceRefusesIt() {
        // It ran (the cell said 'not installed'), and wrote a result that --reprice then refused to read.
        assertThat(vmm("compare", "-q", "--workloads", "boot", "--strategies", "native,x\u001b[7m", "--format",
                "json")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: a strategy label holds a control character: "
                + "'x\\u001b[7m'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aComparisonLargerThanRepriceReadsIsAUsageErrorBeforeAnyRun() {
        Path kernel = directory.resolve("own.elf"); // absent: the size is checked before the kernel is read
        String workloads = IntStream.range(0, 10_001).mapToObj(i -> "w" + i).collect(Collectors.joining(","));

        assertThat(vmm("compare", "-q", "--kernel", kernel.toString(), "--workloads", workloads, "--strategies",
                "native")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: 10001 workloads under 1 strategies are more than 10000 "
                + "cells");
    }

    @Test
    void anOutThatIsAFileIsAUsageErrorBeforeAnyRun() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "mine");

        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native", "--out", file.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: cannot write into " + file + ": it is a file, not a "
                + "directory");
        assertThat(file).hasContent("mine");
    }

    @Test
    void badInputIsAOneLineUsageError() throws IOException {
        assertThat(vmm("compare", "--format", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --format must be table, csv or json: 'xml'");

        assertThat(vmm("compare", "--cost-model", "no-such-model")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).startsWith("vmm: unknown cost model 'no-such-model'");

        assertThat(vmm("compare", "--scale", "0", "--workloads", "boot")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: --scale must be at least 1: 0");

        Path notJson = Files.writeString(directory.resolve("run.json"), "{\"strategy\": \"native\"}");
        assertThat(vmm("compare", "--reprice", notJson.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).endsWith("is not a 'vmm compare' JSON result (format vmmlab-compare-1)");

        assertThat(vmm("compare", "--workloads", "boot,boot")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: a workload is listed twice: boot,boot");
        assertThat(vmm("compare", "--workloads", "boot", "--strategies", "native,native")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: a strategy is listed twice: native,native");

        assertThat(vmm("compare", "--strategies", "fullvirt/", "--workloads", "boot")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().count()).isEqualTo(1);
    }

    @Test
    void aWorkloadTheGuestDoesNotKnowFailsItsCellAndTheCommand() {
        // A kernel given as a file: its workloads are its own, so the guest decides (the bundled kernel's names are
        // checked before any run).
        String kernel = new io.vmmlab.runtime.loader.BundledGuests(getClass().getClassLoader())
                .resolve("bundled:kernel-native").toString();
        assertThat(vmm("compare", "-q", "--workloads", "nosuchwork", "--strategies", "native", "--kernel", kernel))
                .isEqualTo(ExitCodes.GUEST_FAILURE);

        assertThat(out.toString()).contains("(check=FAIL unknown-workload)");
    }
}
