package io.vmmlab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the command line in-process; only paths that end before a guest would start. */
final class VmmTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private InputStream savedIn;

    @TempDir
    Path directory;

    @BeforeEach
    void detachStandardInput() {
        // 'vmm run' starts a console thread on System.in; keep it off the test runner's own stdin
        savedIn = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0]));
    }

    @AfterEach
    void restoreStandardInput() {
        System.setIn(savedIn);
    }

    private int vmm(String... args) {
        return Vmm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
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
}
