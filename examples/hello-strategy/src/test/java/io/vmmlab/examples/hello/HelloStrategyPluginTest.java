package io.vmmlab.examples.hello;

import io.vmmlab.cli.Vmm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With this plugin on the classpath, the real {@code vmm} command lists the strategy and runs a guest with it.
 */
final class HelloStrategyPluginTest {
    /** {@code jal x0, 0}: an endless loop, so the run ends at the instruction limit. */
    private static final int JUMP_TO_SELF = 0x0000006f;

    @Test
    void vmmStrategiesListsThePlugin() {
        StringWriter out = new StringWriter();
        int exitCode = Vmm.execute(new String[] {"strategies"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(exitCode).isZero();
        assertThat(out.toString().lines())
                .contains("hello\texample plugin: runs a bare-metal image on the bare hart and counts what it sees")
                .anyMatch(line -> line.startsWith("native\t"));
    }

    @Test
    void vmmRunSelectsThePlugin(@TempDir Path directory) throws IOException {
        Path image = directory.resolve("loop.bin");
        Files.write(image, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(JUMP_TO_SELF).array());
        Path report = directory.resolve("report.json");
        StringWriter err = new StringWriter();
        int exitCode = Vmm.execute(new String[] {"run", "--strategy", "hello", "--bios", "none", "--kernel",
            image.toString(), "--max-instructions", "5000", "--quiet", "--report", report.toString()},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(exitCode).as(err.toString()).isEqualTo(124);
        String json = Files.readString(report);
        assertThat(json).contains("\"strategy\": \"hello\"")
                .contains("\"group\": \"hello\", \"reason\": \"hart-starts\", \"category\": \"none\", \"value\": 1")
                .contains("\"instructions\": 5000");
    }
}
