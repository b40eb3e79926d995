package io.vmmlab.cli;

import io.vmmlab.cli.args.Option;
import io.vmmlab.runtime.discovery.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the command line in-process. A guest's console reads nothing and writes to {@link #console}, so the runs that
 * start one neither read the test runner's standard input nor print to its output.
 */
final class VmmTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @TempDir
    Path directory;

    private int vmm(String... args) {
        Invocation detached = Invocation.remote(Path.of("").toAbsolutePath(), InputStream.nullInputStream(), console,
                raw -> { }, () -> false);
        return Vmm.execute(args, detached, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String errorLine() {
        return err.toString().stripTrailing();
    }

    @Test
    void versionExitsZero() {
        assertThat(vmm("--version")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).startsWith("vmm ").contains(System.lineSeparator() + "Java ");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void strategiesListsNativeWithATab() {
        assertThat(vmm("strategies")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString().lines())
                .contains("native\tbaseline without a hypervisor: the guest runs on the board itself, "
                        + "firmware at M-level")
                .allSatisfy(line -> assertThat(line).matches("[a-z0-9-]+\t.+"));
    }

    @Test
    void cpusListsNameTabDescription() {
        assertThat(vmm("cpus")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line).matches("[a-z0-9-]+\t.+"));
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(vmm()).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: missing command; try 'vmm --help'");
    }

    @Test
    void anUnknownSubcommandIsOneUsageLine() {
        assertThat(vmm("frobnicate")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).startsWith("vmm: ").doesNotContain("\n").contains("frobnicate");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(vmm("run", "--frobnicate")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).startsWith("vmm: ").contains("--frobnicate");
    }

    @Test
    void aBadMemorySizeIsAUsageError() {
        assertThat(vmm("run", "--mem", "12X")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: bad size '12X': use a number with K, M or G, such as 256M");
    }

    @Test
    void dumpDtbWritesTheGuestsDeviceTreeAndRunsNothing() throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[] {0x6f, 0, 0, 0}); // j .
        Path dtb = Files.writeString(directory.resolve("virt.dtb"), "an older tree");

        assertThat(vmm("run", "--kernel", kernel.toString(), "--smp", "2", "--append", "console=ttyS0",
                "--dump-dtb", dtb.toString())).isEqualTo(ExitCodes.SUCCESS);

        byte[] blob = Files.readAllBytes(dtb);
        assertThat(ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN).getInt(0)).isEqualTo(0xd00dfeed);
        assertThat(ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN).getInt(4)).isEqualTo(blob.length);
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).contains("console=ttyS0", "cpu@1",
                "google,goldfish-rtc");
        assertThat(errorLine()).isEqualTo("vmm: device tree written to " + dtb + " (" + blob.length + " bytes)");
        assertThat(console.size()).isZero(); // no guest ran
    }

    @Test
    void theDeviceTreesMmuTypeIsWhatTheGuestIsOffered() throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[] {0x6f, 0, 0, 0}); // j .
        Map<List<String>, String> expected = new LinkedHashMap<>();
        expected.put(List.of(), "riscv,sv57"); // as QEMU's virt
        expected.put(List.of("--mmu", "sv48"), "riscv,sv48");
        expected.put(List.of("--mmu", "SV39"), "riscv,sv39");
        expected.put(List.of("--strategy", "hwassist"), "riscv,sv57"); // vsatp offers what satp does
        expected.put(List.of("--strategy", "hwassist", "--mmu", "sv48"), "riscv,sv48");
        expected.put(List.of("--strategy", "fullvirt"), "riscv,sv57"); // its emulated satp offers what satp does
        expected.put(List.of("--strategy", "fullvirt", "--mmu", "sv48"), "riscv,sv48");
        expected.put(List.of("--strategy", "paravirt"), "riscv,sv39");
        for (Map.Entry<List<String>, String> entry : expected.entrySet()) {
            Path dtb = directory.resolve("virt.dtb");
            List<String> args = new ArrayList<>(List.of("run", "--kernel", kernel.toString(), "--dump-dtb",
                    dtb.toString()));
            args.addAll(entry.getKey());
            assertThat(vmm(args.toArray(String[]::new))).as("%s", entry.getKey()).isEqualTo(ExitCodes.SUCCESS);
            String tree = new String(Files.readAllBytes(dtb), StandardCharsets.ISO_8859_1);
            assertThat(tree).as("%s", entry.getKey()).contains("mmu-type", entry.getValue() + "\0");
            for (String other : List.of("riscv,sv39", "riscv,sv48", "riscv,sv57")) {
                if (!other.equals(entry.getValue())) {
                    assertThat(tree).as("%s", entry.getKey()).doesNotContain(other);
                }
            }
        }

        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--kernel", kernel.toString(), "--mmu", "sv32")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: unknown page-table mode 'sv32' (--mmu takes sv39, sv48 or sv57)");
    }

    @Test
    void dumpDtbRefusesAStandardStreamAndTheRunsOwnInputs() throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[] {0x6f, 0, 0, 0});

        assertThat(vmm("run", "--kernel", kernel.toString(), "--dump-dtb", "/dev/stdout")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --dump-dtb: the device tree is binary; give a file, not a standard "
                + "stream");
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--kernel", kernel.toString(), "--dump-dtb", kernel.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot write device tree " + kernel + ": it is the command's input "
                + kernel);
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--kernel", kernel.toString(), "--dump-dtb", directory.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot write device tree " + directory + ": it is a directory");
        assertThat(kernel).hasBinaryContent(new byte[] {0x6f, 0, 0, 0});
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--kernel", kernel.toString(), "--dump-dtb", directory.resolve("x.dtb").toString(),
                "--gdb", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --dump-dtb runs no guest: drop --gdb");
        err.getBuffer().setLength(0);
        Path notes = Files.writeString(directory.resolve("notes.txt"), "mine");
        assertThat(vmm("run", "--kernel", kernel.toString(), "--dump-dtb", notes + "/")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: Invalid value for option '--dump-dtb': '" + notes
                + "/' is not a file name (a path that does not end with /)");
        assertThat(notes).hasContent("mine");
        assertThat(directory.resolve("x.dtb")).doesNotExist();
    }

    @Test
    void aReportInADirectoryThatDoesNotExistIsAUsageErrorBeforeTheGuestRuns() {
        assertThat(vmm("run", "--bios", "none", "--kernel", "/nonexistent/image.elf", "--report",
                "/nonexistent-directory/report.json")).isEqualTo(ExitCodes.USAGE);

        // The report is checked first: the missing kernel would be the error if the guest were being prepared.
        assertThat(errorLine()).isEqualTo("vmm: cannot write report /nonexistent-directory/report.json: "
                + "no such directory /nonexistent-directory");
    }

    @Test
    void aReportThatNamesTheRunsKernelOrDiskIsAUsageErrorAndLeavesThemAlone() throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[] {0x6f, 0, 0, 0}); // j .
        Path disk = Files.write(directory.resolve("disk.img"), new byte[1024]);
        Path link = Files.createSymbolicLink(directory.resolve("link.json"), disk);

        assertThat(vmm("run", "--bios", "none", "--kernel", kernel.toString(), "--max-instructions", "100",
                "--report", kernel.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot write report " + kernel + ": it is the command's input "
                + kernel);
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--disk", disk + ",readonly", "--max-instructions", "100", "--report",
                link.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot write report " + link + ": it is the command's input " + disk);

        err.getBuffer().setLength(0);
        Path model = Files.writeString(directory.resolve("my.costmodel"), "name = mine\ninstruction = 1\n");
        assertThat(vmm("run", "--bios", "none", "--kernel", kernel.toString(), "--max-instructions", "100",
                "--cost-model", model.toString(), "--report", model.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot write report " + model + ": it is the command's input "
                + model);

        assertThat(kernel).hasBinaryContent(new byte[] {0x6f, 0, 0, 0});
        assertThat(disk).hasBinaryContent(new byte[1024]);
        assertThat(model).hasContent("name = mine\ninstruction = 1\n");
    }

    /** A resident host's run or comparison whose client went away writes nothing: the user's old report stays. */
    @Test
    void aCommandWhoseClientWentAwayWritesNothing() throws IOException {
        Path report = Files.writeString(directory.resolve("r.json"), "keep");
        Path out = Files.createDirectories(directory.resolve("out"));
        Invocation gone = Invocation.remote(Path.of("").toAbsolutePath(), InputStream.nullInputStream(), console,
                raw -> { }, () -> true);

        assertThat(Vmm.execute(new String[] {"run", "--bios", "none", "--kernel", "bundled:bench-small", "--report",
                report.toString()}, gone, new PrintWriter(this.out, true), new PrintWriter(err, true)))
                .isEqualTo(ExitCodes.CLIENT_GONE);
        assertThat(Vmm.execute(new String[] {"compare", "-q", "--workloads", "boot", "--strategies", "native", "--out",
                out.toString()}, gone, new PrintWriter(this.out, true), new PrintWriter(err, true)))
                .isEqualTo(ExitCodes.CLIENT_GONE);

        assertThat(report).hasContent("keep");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void serveRefusesAStateFileNameThatHoldsSomethingElseAndLeavesIt() throws IOException {
        Path precious = Files.writeString(directory.resolve("keep.txt"), "precious data\n");

        assertThat(vmm("serve", "--state", precious.toString(), "--idle-timeout", "1", "--no-warm-up"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot use " + precious + " as the state file: it exists and is "
                + "not a resident host's state file");
        err.getBuffer().setLength(0);
        assertThat(vmm("serve", "--state", directory.toString(), "--idle-timeout", "1", "--no-warm-up"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: cannot use " + directory + " as the state file: it is a directory");

        assertThat(precious).hasContent("precious data\n");
    }

    @Test
    void aBadIsaIsAUsageError() {
        assertThat(vmm("run", "--isa", "rv32i")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: ISA string must start with rv64: 'rv32i'");
    }

    @Test
    void aNegativeTimeoutIsAUsageError() {
        assertThat(vmm("run", "--timeout", "-1")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: --timeout must not be negative");
    }

    @Test
    void badPathsAndValuesSayWhatIsWrongWithThem() throws IOException {
        String longName = directory.resolve("k".repeat(300)).toString();
        Path file = Files.writeString(directory.resolve("existing.json"), "{}");
        String[][] cases = {
            {"vmm: --timeout must be a number of seconds", "run", "--timeout", "NaN"},
            {"vmm: --bios none starts the image itself in M-mode: give it with --kernel FILE", "run", "--bios", "none"},
            {"vmm: " + longName + ": cannot read: file name too long", "run", "--bios", "none", "--kernel", longName},
            {"vmm: cannot write report " + file + "/sub: " + file + " is not a directory", "run", "--report",
                file + "/sub"},
            {"vmm: cannot write report /proc/version: no new file can be made in /proc", "run", "--report",
                "/proc/version"},
        };
        for (String[] command : cases) {
            err.getBuffer().setLength(0);
            assertThat(vmm(java.util.Arrays.copyOfRange(command, 1, command.length))).isEqualTo(ExitCodes.USAGE);
            assertThat(errorLine()).isEqualTo(command[0]);
        }
    }

    @Test
    void aReportToDevStdoutGoesToTheCommandsOwnOutput() {
        assertThat(vmm("run", "-q", "--bios", "none", "--kernel", "bundled:bench-small", "--report", "/dev/stdout"))
                .as("%s", err).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).contains("\"strategy\": \"native\"");
    }

    @Test
    void aTimeoutBeyondAHundredYearsIsAUsageError() {
        assertThat(vmm("run", "--timeout", "1e400")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --timeout must be at most 3162240000 seconds (100 years); 0 for no "
                + "limit");
    }

    @Test
    void tooManyHartsIsAUsageError() {
        assertThat(vmm("run", "--smp", "9")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: harts must be 1 to 8: 9");
    }

    @Test
    void anUnknownStrategyListsTheAvailableOnes() {
        assertThat(vmm("run", "--mem", "16M", "--strategy", "nope")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).startsWith("vmm: unknown strategy 'nope'; available: ").contains("native")
                .doesNotContain("\n");
    }

    @Test
    void aMissingKernelIsAUsageError() {
        Path missing = directory.resolve("no-such-kernel.elf");

        assertThat(vmm("run", "--mem", "16M", "--bios", "none", "--kernel", missing.toString()))
                .isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: " + missing + ": no such file");
    }

    @Test
    void aMissingDiskImageIsAUsageError() {
        Path missing = directory.resolve("no-such-disk.img");

        assertThat(vmm("run", "--disk", missing.toString())).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: disk image " + missing + " does not exist");
    }

    @Test
    void anImageNamedTwiceWritableIsAUsageError() throws IOException {
        Path disk = Files.write(directory.resolve("disk.img"), new byte[512]);

        assertThat(vmm("run", "-q", "--disk", disk.toString(), "--device", "virtio-blk,path=" + disk,
                "--max-instructions", "1000")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: virtio-blk: disk image " + disk + " is in use by another VM (or "
                + "named twice); a writable image is not shared (attach it read-only in every VM: --disk FILE,readonly)");
        // Read-only, it may be named twice.
        assertThat(vmm("run", "-q", "--disk", disk + ",readonly", "--disk", disk + ",readonly",
                "--max-instructions", "1000")).isEqualTo(ExitCodes.LIMIT_REACHED);
    }

    @Test
    void anUnknownDiskOptionIsAUsageError() throws IOException {
        Path disk = Files.write(directory.resolve("disk.img"), new byte[512]);

        assertThat(vmm("run", "--disk", disk + ",bogus")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: bad --disk option 'bogus': only 'readonly' is known");
    }

    @Test
    void aDiskWithoutAFileNameIsAUsageError() {
        assertThat(vmm("run", "--disk", ",readonly")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: --disk needs a file name");
    }

    @Test
    void aDeviceGoesIntoTheSlotAfterTheDisks() {
        assertThat(vmm("run", "--device", "virtio-rng,seed=7", "--max-instructions", "2000000"))
                .isEqualTo(ExitCodes.LIMIT_REACHED);

        // The guest's driver probed the slot: the suite's scratch disk is device 0, the generator device 1.
        assertThat(err.toString()).contains("virtio-blk0-read").contains("virtio-rng1-read");
    }

    @Test
    void aQuietRunSaysNothingWhenItSucceedsAndWhyWhenItFails() {
        assertThat(vmm("run", "-q", "--bios", "none", "--kernel", "bundled:bench-small")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(err.toString()).isEmpty();

        assertThat(vmm("run", "-q", "--bios", "none", "--kernel", "bundled:bench-small", "--max-instructions",
                "1000")).isEqualTo(ExitCodes.LIMIT_REACHED);
        assertThat(err.toString().lines()).containsExactly("vmm: instruction limit of 1000 reached (limit reached)");
    }

    @Test
    void aHostedRunRefusesTheClientsDescriptorsWhichAreNotItsOwn() {
        assertThat(vmm("run", "--disk", "/dev/fd/5,readonly")).isEqualTo(ExitCodes.USAGE);
        assertThat(vmm("run", "--device", "virtio-blk,path=/dev/fd/63", "--report", "/dev/fd/1")).isEqualTo(
                ExitCodes.USAGE);
        assertThat(vmm("run", "--report", "/dev/fd/7")).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString().lines()).containsExactly(
                "vmm: '/dev/fd/5,readonly' names a descriptor of the client, which the resident host cannot reach "
                        + "(run with VMM_HOST=off)",
                "vmm: 'virtio-blk,path=/dev/fd/63' names a descriptor of the client, which the resident host cannot "
                        + "reach (run with VMM_HOST=off)",
                "vmm: '/dev/fd/7' names a descriptor of the client, which the resident host cannot reach (run with "
                        + "VMM_HOST=off)");
    }

    @Test
    void anErrorAboutABundledImageNamesItAsTheUserDid() {
        assertThat(vmm("run", "-q", "--kernel", "bundled:kernel-native", "--mem", "1M")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).startsWith("vmm: bundled:kernel-native: 0x").endsWith("(try a larger --mem)");
    }

    @Test
    void aCostModelPricesTheSummarysModeledCycles() {
        assertThat(vmm("run", "--bios", "none", "--kernel", "bundled:bench-small", "--max-instructions", "100000",
                "--deterministic", "--cost-model", "pentium4-2006")).isEqualTo(ExitCodes.LIMIT_REACHED);
        assertThat(err.toString()).containsPattern("modeled cycles +[0-9,]+ \\(pentium4-2006\\)");

        err.getBuffer().setLength(0);
        assertThat(vmm("run", "-q", "--cost-model", "no-such-model")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("vmm: unknown cost model '").contains("no-such-model': not a preset");
    }

    @Test
    void everyStrategyThatRunsAKernelRefusesToRunWithoutFirmware() {
        for (String strategy : List.of("fullvirt", "paravirt", "hwassist")) {
            err.getBuffer().setLength(0);
            assertThat(vmm("run", "-q", "--strategy", strategy, "--bios", "none", "--kernel", "bundled:kernel-pv"))
                    .as(strategy).isEqualTo(ExitCodes.USAGE);
            assertThat(errorLine()).as(strategy).contains("--bios builtin");
        }
    }

    @Test
    void paravirtCountsItsRootLoadsAsTlbFlushes() {
        // Every root the VMM loads is ASID 0 (kernel and user views are roots of their own): each load empties an
        // untagged TLB, and the guest's flush requests are answered by one.
        assertThat(vmm("run", "--strategy", "paravirt", "--append", "workloads=pagefault pagefault=64",
                "--deterministic")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(err.toString()).containsPattern("(?m)^paging +tlb-flush [1-9][0-9,]*$");
    }

    @Test
    void deviceMistakesAreUsageErrors() {
        assertThat(vmm("run", "-q", "--device", "virtio-rng,colour=blue")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: virtio-rng: unknown option 'colour' (known: seed)");

        err.getBuffer().setLength(0);
        assertThat(vmm("run", "-q", "--device", "virtio-rng,seed")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: bad --device option 'seed': KEY=VALUE expected");

        err.getBuffer().setLength(0);
        assertThat(vmm("run", "-q", "--device", "plic")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo(
                "vmm: plic is on every board already; extra devices go into the 8 virtio-mmio slots");

        err.getBuffer().setLength(0);
        assertThat(vmm("run", "-q", "--device", "no-such-device")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("vmm: unknown device 'no-such-device'; available: ");
    }

    @Test
    void shortVersionPrintsTheSameAsLongVersion() {
        assertThat(vmm("-V")).isEqualTo(ExitCodes.SUCCESS);
        String shortVersion = out.toString();
        out.getBuffer().setLength(0);
        vmm("--version");

        assertThat(shortVersion).isEqualTo(out.toString()).startsWith("vmm ");
    }

    @Test
    void helpListsEveryCommandAndExitCodeOnStandardOutput() {
        assertThat(vmm("--help")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).startsWith("Usage: vmm COMMAND [OPTION]...")
                .contains("Build, run and compare hypervisors on an emulated RISC-V RV64 board.")
                .contains("-V, --version").contains("Exit codes:")
                .contains("  124  the instruction limit or the timeout was reached");
        for (String command : CommandFactory.NAMES) {
            assertThat(out.toString()).containsPattern("(?m)^  " + command + " +[A-Z]");
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shortHelpAndTheHelpCommandPrintTheSameAsLongHelp() {
        vmm("--help");
        String help = out.toString();
        for (String[] args : new String[][] {{"-h"}, {"help"}, {"--frob", "--help"}}) {
            out.getBuffer().setLength(0);

            assertThat(vmm(args)).isEqualTo(ExitCodes.SUCCESS);
            assertThat(out.toString()).as(String.join(" ", args)).isEqualTo(help);
        }
    }

    @Test
    void aCommandsHelpListsItsOptionsWithDefaults() {
        assertThat(vmm("run", "--help")).isEqualTo(ExitCodes.SUCCESS);

        assertThat(out.toString()).startsWith("Usage: vmm run [OPTION]...")
                .contains("--mem=SIZE").contains("RAM size, such as 256M or 1G; default 256M.")
                .contains("--strategy=NAME").contains("default native.").contains("--[no-]deterministic")
                .contains("-q, --quiet").contains("-h, --help");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpCommandDashHAndHelpAnywhereGiveTheSameCommandHelp() {
        vmm("help", "compare");
        String help = out.toString();
        for (String[] args : new String[][] {{"compare", "-h"}, {"compare", "--scale", "x", "--help"}}) {
            out.getBuffer().setLength(0);

            assertThat(vmm(args)).isEqualTo(ExitCodes.SUCCESS);
            assertThat(out.toString()).as(String.join(" ", args)).isEqualTo(help);
        }
        assertThat(help).contains("--strategies=STRATEGY[,STRATEGY...]").contains("default pentium4-2006.");
    }

    @Test
    void everyCommandsHelpMentionsEachOptionAndFitsEightyColumns() {
        for (Command command : new CommandFactory(Plugins::discover, Invocation.local()).all()) {
            out.getBuffer().setLength(0);

            assertThat(vmm(command.syntax().name(), "--help")).isEqualTo(ExitCodes.SUCCESS);
            for (Option<?> option : command.syntax().options()) {
                assertThat(out.toString()).as(command.syntax().name()).contains(option.synopsis());
            }
            assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
        vmm("--help");
        assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void helpForAnUnknownCommandIsAUsageError() {
        assertThat(vmm("help", "frobnicate")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).startsWith("vmm: unknown command 'frobnicate'; available: ").contains("run")
                .doesNotContain("\n");
    }

    @Test
    void anUnknownTopLevelOptionIsAUsageError() {
        assertThat(vmm("--frobnicate")).isEqualTo(ExitCodes.USAGE);

        assertThat(errorLine()).isEqualTo("vmm: Unknown option: '--frobnicate'");
    }

    @Test
    void aBadNumberIsAUsageErrorNamingOptionAndType() {
        assertThat(vmm("run", "--smp", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: Invalid value for option '--smp': 'x' is not an int");
    }

    @Test
    void aMissingValueIsAUsageError() {
        assertThat(vmm("run", "--mem")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: Missing required parameter for option '--mem' (SIZE)");
    }

    @Test
    void anExtraArgumentIsAUsageError() {
        assertThat(vmm("strategies", "extra")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: Unexpected argument: 'extra'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void everyListedCommandCanBeCreatedUnderItsName() {
        CommandFactory commands = new CommandFactory(Plugins::discover, Invocation.local());

        for (String name : CommandFactory.NAMES) {
            assertThat(commands.create(name)).get().extracting(command -> command.syntax().name()).isEqualTo(name);
        }
        assertThat(commands.create("frobnicate")).isEmpty();
    }

    @Test
    void theDefaultGuestUnderAStrategyThatNeedsAPortedKernelIsTheSuitesParavirtualBuild() {
        assertThat(vmm("run", "--strategy", "paravirt")).as("%s", err).isEqualTo(ExitCodes.SUCCESS);
        assertThat(err.toString()).contains("bundled:kernel-pv").doesNotContain("bundled:kernel-native");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("SUITE done results=9 failed=0");
    }

    /**
     * The exit profile names guest addresses from the kernel's symbols; under binary translation the hart runs the
     * guest kernel from the translation cache, and the profile still shows the kernel's own addresses.
     */
    @Test
    void theExitProfileListsGuestPlacesByTheKernelsSymbolsAlsoUnderBinaryTranslation() throws IOException {
        Path report = directory.resolve("profile.json");

        assertThat(vmm("run", "--strategy", "fullvirt", "--technique", "bt", "--append", "workloads=privreg",
                "--exit-profile", "3", "--cost-model", "pentium4-2006", "--report", report.toString(), "-q"))
                .as("%s", err).isEqualTo(ExitCodes.SUCCESS);

        assertThat(err.toString()).contains("--- exit profile: ").contains("the 3 most frequent")
                .contains("    modeled cycles (pentium4-2006): the entries' ")
                .containsPattern("0x802[0-9a-f]{5}\\s+page_init\\+0x[0-9a-f]+\\s+store-page-fault")
                .containsPattern("arch_privreg_exercise\\+0x[0-9a-f]+\\s+callout: csrrs sstatus")
                .doesNotContain("0xfffffffc"); // the translation cache's window
        String json = Files.readString(report);
        assertThat(json).contains("\"exitProfile\": {\"entries\": ").contains("\"symbol\": \"page_init+0x");
        // pentium4-2006: a callout 1254 cycles, emulation included; a hidden fault a round trip (2030) and the
        // shadow fill (one page_walk, 30)
        assertThat(siteCycles(json, "callout: csrrs sstatus")).isNotEmpty()
                .allSatisfy(site -> assertThat(site[1]).isEqualTo(site[0] * 1254));
        assertThat(siteCycles(json, "store-page-fault")).isNotEmpty()
                .allSatisfy(site -> assertThat(site[1]).isEqualTo(site[0] * (2030 + 30)));
    }

    /** The count and modeled cycles of the report's exit-profile sites with a reason. */
    private static List<long[]> siteCycles(String json, String reason) {
        Matcher site = Pattern.compile("\"reason\": \"" + Pattern.quote(reason)
                + "\", \"count\": (\\d+), \"modeledCycles\": (\\d+)}").matcher(json);
        List<long[]> sites = new ArrayList<>();
        while (site.find()) {
            sites.add(new long[] {Long.parseLong(site.group(1)), Long.parseLong(site.group(2))});
        }
        return sites;
    }

    @Test
    void theExitProfileNamesTrappedPrivilegedInstructions() {
        assertThat(vmm("run", "--strategy", "fullvirt", "--technique", "trap", "--append", "workloads=privreg",
                "--exit-profile", "40", "-q")).as("%s", err).isEqualTo(ExitCodes.SUCCESS);

        assertThat(err.toString()).containsPattern("native_trap_vector\\s+illegal-instruction: csrrw sscratch")
                .containsPattern("arch_return_to_user\\+0x[0-9a-f]+\\s+illegal-instruction: sret");
    }

    @Test
    void badExitProfileOptionsAreUsageErrorsBeforeTheGuestRuns() throws IOException {
        Path notElf = Files.write(directory.resolve("Image"), new byte[] {0x13, 0, 0, 0});

        assertThat(vmm("run", "--exit-profile", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --exit-profile: 0 rows (give 1 or more)");
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--symbols", notElf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("vmm: --symbols names the places of an exit profile");
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--exit-profile", "5", "--symbols", notElf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("vmm: ").contains("Image: not an ELF file");
        err.getBuffer().setLength(0);
        Path stripped = Files.write(directory.resolve("stripped.elf"), strippedElf());
        assertThat(vmm("run", "--exit-profile", "5", "--symbols", stripped.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("vmm: --symbols: ").endsWith("stripped.elf has no function symbols "
                + "(a stripped file?)");
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--exit-profile-order", "cycles")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --exit-profile-order orders an exit profile: give --exit-profile N "
                + "too");
        err.getBuffer().setLength(0);
        assertThat(vmm("run", "--exit-profile", "5", "--exit-profile-order", "time")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("vmm: --exit-profile-order takes entries or cycles, not 'time'");
        assertThat(console.size()).isZero(); // no guest ran
    }

    /** An RV64 ELF executable with one loadable word and no section headers (so no symbols), as strip leaves. */
    private static byte[] strippedElf() {
        ByteBuffer elf = ByteBuffer.allocate(64 + 56 + 4).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).position(16);
        elf.putShort((short) 2).putShort((short) 243).putInt(1).putLong(0x8000_0000L).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        elf.putInt(1).putInt(7).putLong(120).putLong(0x8000_0000L).putLong(0x8000_0000L).putLong(4).putLong(4)
                .putLong(0x1000);
        elf.put(new byte[] {0x13, 0, 0, 0});
        return elf.array();
    }

    /**
     * The launcher's training run ({@link AotTraining}) ignores failures (a cache from a broken training is only less
     * useful), so the commands it trains on are checked here: each must succeed.
     */
    @Test
    void everyStartUpTrainingCommandSucceeds() throws IOException {
        Path report = directory.resolve("report.json");
        for (List<String> command : AotTraining.commands(report)) {
            err.getBuffer().setLength(0);

            assertThat(vmm(command.toArray(String[]::new))).as("%s: %s", command, err).isEqualTo(ExitCodes.SUCCESS);
        }
        assertThat(Files.readString(report)).contains("\"instructions\"");
    }
}
