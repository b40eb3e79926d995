package io.vmmlab.cli;

import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broken plugin on the class path (a service file naming a class its jar lacks) is reported by the commands that
 * use plugins, and stops nothing else: help, the version and the bundled guests' list need no plugin.
 */
final class BrokenPluginTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ClassLoader previous;
    private URLClassLoader broken;

    @TempDir
    Path directory;

    @BeforeEach
    void putABrokenPluginOnTheClassPath() throws IOException {
        Path services = Files.createDirectories(directory.resolve("META-INF/services"));
        Files.writeString(services.resolve(VirtualizationStrategyProvider.class.getName()), "com.example.Missing\n");
        previous = Thread.currentThread().getContextClassLoader();
        broken = new URLClassLoader(new URL[] {directory.toUri().toURL()}, previous);
        Thread.currentThread().setContextClassLoader(broken);
    }

    @AfterEach
    void restore() throws IOException {
        Thread.currentThread().setContextClassLoader(previous);
        broken.close();
    }

    private int vmm(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Invocation detached = Invocation.remote(Path.of("").toAbsolutePath(), InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), raw -> { }, () -> false);
        return Vmm.execute(args, detached, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpVersionAndTheGuestListStillWork() {
        for (String[] args : new String[][] {{"--help"}, {"--version"}, {"run", "--help"}, {"help", "compare"},
                {"strategies", "--help"}, {"guests"}}) {
            assertThat(vmm(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.SUCCESS);
            assertThat(out.toString()).as(String.join(" ", args)).isNotEmpty();
            assertThat(err.toString()).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void theCommandsThatUsePluginsNameTheBrokenOneInOneLine() {
        for (String[] args : new String[][] {{"strategies"}, {"cpus"}, {"run", "--max-instructions", "10"},
                {"compare", "--workloads", "null"}}) {
            assertThat(vmm(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().stripTrailing()).as(String.join(" ", args))
                    .startsWith("vmm: a strategy plugin on the classpath is broken: ")
                    .contains("com.example.Missing").doesNotContain("\n");
            assertThat(out.toString()).isEmpty();
        }
    }
}
