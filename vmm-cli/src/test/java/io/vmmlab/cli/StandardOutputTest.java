package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class StandardOutputTest {
    @TempDir
    Path directory;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

    /** Standard output on a full disk: every write fails. */
    private static PrintStream full() {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }, false, StandardCharsets.UTF_8);
    }

    private Path descriptorNaming(String file) throws IOException {
        return Files.createSymbolicLink(directory.resolve("1"), Path.of(file));
    }

    @Test
    void lostOutputToAFileIsAUsageErrorUnlessTheCommandFailedInternally() throws IOException {
        PrintStream out = full();
        out.print("strategy,workload,instructions");
        Path descriptor = descriptorNaming("/home/user/results.csv");

        assertThat(StandardOutput.checked(ExitCodes.SUCCESS, out, err, descriptor)).isEqualTo(ExitCodes.USAGE);
        assertThat(errors.toString(StandardCharsets.UTF_8)).isEqualTo("vmm: cannot write standard output\n");
        assertThat(StandardOutput.checked(ExitCodes.LIMIT_REACHED, out, err, descriptor))
                .as("as a report that cannot be written").isEqualTo(ExitCodes.USAGE);
        assertThat(StandardOutput.checked(ExitCodes.INTERNAL_ERROR, out, err, descriptor))
                .as("an internal error keeps its code").isEqualTo(ExitCodes.INTERNAL_ERROR);
    }

    @Test
    void aReaderThatWentAwayOrOutputThatArrivedIsNoError() throws Exception {
        PrintStream out = full();
        out.print("native\t...");

        assertThat(StandardOutput.checked(ExitCodes.SUCCESS, out, err, descriptorNaming("pipe:[4711]")))
                .isEqualTo(ExitCodes.SUCCESS);
        Path fifo = directory.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(StandardOutput.checked(ExitCodes.SUCCESS, out, err,
                Files.createSymbolicLink(directory.resolve("named"), fifo))).as("a named pipe").isEqualTo(ExitCodes.SUCCESS);
        PrintStream fine = new PrintStream(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8);
        fine.print("native\t...");
        assertThat(StandardOutput.checked(ExitCodes.SUCCESS, fine, err, directory.resolve("none")))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(errors.size()).isZero();
    }
}
