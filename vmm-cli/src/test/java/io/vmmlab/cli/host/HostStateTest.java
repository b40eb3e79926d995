package io.vmmlab.cli.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HostStateTest {
    private static final HostState STATE = new HostState(40123, "00ff00ff00ff00ff", 4242);

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("host.state");
    }

    @Test
    void whatIsWrittenIsReadBack() throws IOException {
        STATE.write(file());

        assertThat(HostState.read(file())).contains(STATE);
        assertThat(Files.readString(file(), StandardCharsets.US_ASCII)).isEqualTo("40123 00ff00ff00ff00ff 4242\n");
    }

    @Test
    void theFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
        STATE.write(file());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void writingReplacesAnOlderFileAndItsLooserPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Files.writeString(file(), "1 old 2\n");
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

        STATE.write(file());

        assertThat(HostState.read(file())).contains(STATE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file());
        }
    }

    @Test
    void aRelativeFileNameIsWrittenInTheWorkingDirectory() throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(file());

        STATE.write(relative);

        assertThat(HostState.read(file())).contains(STATE);
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedWithTheReason() {
        Path nowhere = Path.of("/proc/host.state");

        assertThatThrownBy(() -> STATE.write(nowhere)).isInstanceOf(IOException.class)
                .hasMessage("cannot write the state file /proc/host.state: no such file or directory");
    }

    @Test
    void aMissingFileReadsAsEmpty() {
        assertThat(HostState.read(file())).isEmpty();
        assertThat(HostState.read(directory.resolve("no-such-directory/host.state"))).isEmpty();
    }

    @Test
    void aDirectoryReadsAsEmpty() {
        assertThat(HostState.read(directory)).isEmpty();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNamedPipeReadsAsEmptyWithoutWaitingForAWriter() throws Exception {
        assertThat(new ProcessBuilder("mkfifo", file().toString()).start().waitFor()).isZero();

        assertThat(HostState.read(file())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage", "40123 token", "40123 token 4242 extra", "port token 4242",
        "40123 token pid", "99999999999 token 4242", "40123  token 4242"})
    void aFileThatIsNotAStateFileReadsAsEmpty(String content) throws IOException {
        Files.writeString(file(), content);

        assertThat(HostState.read(file())).isEmpty();
    }

    @Test
    void isInTellsWhetherTheFileNamesThisHost() throws IOException {
        assertThat(STATE.isIn(file())).isFalse();

        STATE.write(file());
        assertThat(STATE.isIn(file())).isTrue();

        new HostState(40123, "00ff00ff00ff00ff", 4243).write(file());
        assertThat(STATE.isIn(file())).isFalse();
        new HostState(40124, "00ff00ff00ff00ff", 4242).write(file());
        assertThat(STATE.isIn(file())).isFalse();
        new HostState(40123, "00ff00ff00ff00fe", 4242).write(file());
        assertThat(STATE.isIn(file())).isFalse();
    }

    @Test
    void removeFromRemovesAFileThatNamesThisHost() throws IOException {
        STATE.write(file());

        assertThat(STATE.removeFrom(file())).isTrue();

        assertThat(file()).doesNotExist();
    }

    @Test
    void removeFromLeavesAFileThatNamesAnotherHostAlone() throws IOException {
        HostState other = new HostState(40124, "1234", 4243);
        other.write(file());

        assertThat(STATE.removeFrom(file())).isFalse();

        assertThat(HostState.read(file())).contains(other);
    }

    @Test
    void removeFromLeavesAFileThatIsNotAStateFileAlone() throws IOException {
        Files.writeString(file(), "something else\n");

        assertThat(STATE.removeFrom(file())).isFalse();

        assertThat(file()).hasContent("something else");
    }

    @Test
    void removeFromAMissingFileDoesNothing() {
        assertThat(STATE.removeFrom(file())).isFalse();

        assertThat(file()).doesNotExist();
    }
}
