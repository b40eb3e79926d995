package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ScratchFilesTest {
    @Test
    void aFileDeletedByItsCommandLeavesTheSet() throws IOException {
        Path file = ScratchFiles.create("vmm-scratch-test-", ".img");
        assertThat(file).exists().isEmptyFile();
        assertThat(ScratchFiles.isPending(file)).isTrue();

        ScratchFiles.delete(file);

        assertThat(file).doesNotExist();
        assertThat(ScratchFiles.isPending(file)).isFalse();
    }

    @Test
    void theExitDeletesTheFilesStillPending() throws IOException {
        Path first = ScratchFiles.create("vmm-scratch-test-", ".img");
        Path second = ScratchFiles.create("vmm-scratch-test-", ".img");
        Files.writeString(second, "data");

        ScratchFiles.deletePending();

        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(ScratchFiles.isPending(first)).isFalse();
        assertThat(ScratchFiles.isPending(second)).isFalse();
    }

    @Test
    void aDirectoryWhereNoFileCanBeMadeIsNamedWithTheReason(@TempDir Path directory) {
        Path missing = directory.resolve("missing");

        assertThatThrownBy(() -> ScratchFiles.create(missing, "vmm-scratch-test-", ".img"))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot make a file in " + missing + ": no such file or directory");
    }

    @Test
    void aFileAlreadyGoneIsNoError() throws IOException {
        Path file = ScratchFiles.create("vmm-scratch-test-", ".img");
        Files.delete(file);

        ScratchFiles.delete(file);

        assertThat(ScratchFiles.isPending(file)).isFalse();
    }
}
