package io.vmmlab.runtime.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Input files are regular files of a known size: a pipe or a device is refused before it is opened. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class InputFilesTest {
    @TempDir
    Path directory;

    @Test
    void readsARegularFile() throws IOException {
        Path file = Files.write(directory.resolve("image"), new byte[] {1, 2, 3});

        assertThat(InputFiles.read(file, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void refusesAFileLargerThanTheLimit() throws IOException {
        Path file = Files.write(directory.resolve("image"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> InputFiles.read(file, 2)).isInstanceOf(IOException.class)
                .hasMessage("larger than 2 bytes");
    }

    @Test
    void refusesAPipeWithoutOpeningIt() throws Exception {
        Path fifo = directory.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        // Opening a pipe for reading blocks until a writer comes: the test's timeout would end it.
        assertThatThrownBy(() -> InputFiles.read(fifo, 100)).isInstanceOf(IOException.class)
                .hasMessage("not a regular file");
    }

    @Test
    void refusesAnEndlessDeviceAndADirectory() {
        assertThatThrownBy(() -> InputFiles.read(Path.of("/dev/zero"), 100)).hasMessage("not a regular file");
        assertThatThrownBy(() -> InputFiles.read(directory, 100)).hasMessage("it is a directory");
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        IOException missing = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> InputFiles.read(directory.resolve("missing"), 100));

        assertThat(InputFiles.reason(missing)).isEqualTo("no such file or directory");
    }

    @Test
    void textMustBeUtf8() throws IOException {
        Path file = Files.write(directory.resolve("model"), new byte[] {'a', (byte) 0xff, 'b'});

        assertThatThrownBy(() -> InputFiles.readText(file, 100)).hasMessage("not UTF-8 text");
    }
}
