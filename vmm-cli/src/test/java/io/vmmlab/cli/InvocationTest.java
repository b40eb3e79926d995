package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class InvocationTest {
    private static final Path PROCESS_DIRECTORY = Path.of("").toAbsolutePath();

    @TempDir
    Path directory;

    private static Invocation in(Path directory) {
        return Invocation.remote(directory, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                raw -> { }, () -> false);
    }

    @Test
    void anAbsolutePathIsReturnedUnchanged() {
        Path absolute = Path.of("/var/lib/images/kernel.elf");

        assertThat(in(directory).resolve(absolute)).isSameAs(absolute);
        assertThat(in(directory).resolve("/var/lib/images/kernel.elf")).isEqualTo(absolute);
        assertThat(in(PROCESS_DIRECTORY).resolve(absolute)).isSameAs(absolute);
    }

    @Test
    void aRelativePathIsReturnedAsGivenInThisProcesssOwnInvocation() {
        Path relative = Path.of("images", "kernel.elf");

        assertThat(Invocation.local().resolve(relative)).isSameAs(relative);
        assertThat(Invocation.local().resolve("images/kernel.elf")).isEqualTo(relative);
    }

    @Test
    void aRemoteInvocationResolvesEvenInThisProcesssDirectory() {
        // The client's directory may have the same name as the host's and be another one (renamed and recreated).
        assertThat(in(PROCESS_DIRECTORY).resolve("images/kernel.elf"))
                .isEqualTo(PROCESS_DIRECTORY.resolve("images/kernel.elf")).isAbsolute();
    }

    @Test
    void aRelativePathIsResolvedAgainstAnotherDirectory() {
        assertThat(directory).isNotEqualTo(PROCESS_DIRECTORY);

        assertThat(in(directory).resolve(Path.of("images", "kernel.elf")))
                .isEqualTo(directory.resolve("images/kernel.elf")).isAbsolute();
        assertThat(in(directory).resolve("../disk.img")).isEqualTo(directory.resolve("../disk.img"));
        assertThat(in(directory).resolve("disk.img")).isEqualTo(directory.resolve("disk.img"));
    }

    @Test
    void aSubdirectoryOfTheProcesssDirectoryIsAnotherDirectory() {
        Path subdirectory = PROCESS_DIRECTORY.resolve("target");

        assertThat(in(subdirectory).resolve("kernel.elf")).isEqualTo(subdirectory.resolve("kernel.elf"));
    }

    @Test
    void aRelativeDirectoryIsRejected() {
        assertThatThrownBy(() -> in(Path.of("relative", "directory")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the working directory must be absolute: relative/directory");
        assertThatThrownBy(() -> in(Path.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLocalInvocationIsThisProcesssDirectoryStreamsAndTerminal() {
        Invocation local = Invocation.local();

        assertThat(local.directory()).isEqualTo(PROCESS_DIRECTORY).isAbsolute();
        assertThat(local.in()).isSameAs(System.in);
        assertThat(local.consoleOut()).isSameAs(System.out);
        assertThat(local.abandoned().getAsBoolean()).isFalse();
    }
}
