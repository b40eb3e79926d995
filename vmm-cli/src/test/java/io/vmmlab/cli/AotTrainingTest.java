package io.vmmlab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's training run ({@link AotTraining}) ignores failures (a cache from a broken training is only less
 * useful), so the commands it trains on are checked here: each must succeed.
 */
final class AotTrainingTest {
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

    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        Path report = directory.resolve("report.json");
        for (List<String> command : AotTraining.commands(report)) {
            StringWriter err = new StringWriter();
            int code = Vmm.execute(command.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true));

            assertThat(code).as("%s: %s", command, err).isEqualTo(ExitCodes.SUCCESS);
        }
        assertThat(Files.readString(report)).contains("\"instructions\"");
    }
}
