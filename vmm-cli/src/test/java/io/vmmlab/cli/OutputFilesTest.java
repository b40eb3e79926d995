package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class OutputFilesTest {
    @TempDir
    Path directory;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aReportReplacesTheOldFileKeepingItsPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path report = Files.writeString(directory.resolve("report.json"), "old");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r--r--"));

        OutputFiles.writeReport(report, "new");

        assertThat(report).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-r--r--");
        assertThat(names()).containsExactly("report.json");
    }

    @Test
    void aReportWhoseNameIsNearTheFileSystemsLimitIsCheckedAndWritten() throws IOException {
        Path report = directory.resolve("r".repeat(250) + ".json");
        Path emoji = directory.resolve("a".repeat(39) + "\ud83d\ude00.json"); // the cut falls inside the pair

        for (Path file : List.of(report, emoji)) {
            OutputFiles.checkReport(file);
            OutputFiles.writeReport(file, "new");
            assertThat(file).hasContent("new");
        }
        assertThat(names()).containsExactlyInAnyOrder(report.getFileName().toString(), emoji.getFileName().toString());
    }

    @Test
    void aReportMayNotNameAnInputButMayNameAFileThatIsNone() throws IOException {
        Path input = Files.writeString(directory.resolve("kernel.elf"), "elf");
        Path other = Files.writeString(directory.resolve("other.json"), "old");

        assertThatThrownBy(() -> OutputFiles.checkNotAnInput(input, List.of(directory.resolve("missing"), input)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write report " + input + ": it is the command's input " + input);
        OutputFiles.checkNotAnInput(other, List.of(input));
        OutputFiles.checkNotAnInput(directory.resolve("new.json"), List.of(input));
    }

    @Test
    void aReportNamedThroughALinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path target = Files.writeString(directory.resolve("target.json"), "old");
        Path link = Files.createSymbolicLink(directory.resolve("link.json"), target.getFileName());

        OutputFiles.writeReport(link, "new");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("new");
    }

    @Test
    void aReportToADeviceIsWrittenToIt() {
        OutputFiles.checkReport(Path.of("/dev/null"));
        OutputFiles.writeReport(Path.of("/dev/null"), "new");

        assertThat(Files.isRegularFile(Path.of("/dev/null"))).as("not replaced by a regular file").isFalse();
    }

    @Test
    void aDescriptorIsWrittenOnlyIfItWasOpenedForWriting() throws IOException {
        Path readOnly = Files.writeString(directory.resolve("library.jar"), "jar");
        Path appended = Files.writeString(directory.resolve("all.json"), "first\n");
        try (FileChannel reading = FileChannel.open(readOnly, StandardOpenOption.READ);
             FileChannel writing = FileChannel.open(appended, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Path readDescriptor = descriptorOf(readOnly);
            Path writeDescriptor = descriptorOf(appended);

            assertThatThrownBy(() -> OutputFiles.checkReport(readDescriptor))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the descriptor is open for reading only");
            assertThatThrownBy(() -> OutputFiles.checkReport(Path.of("/dev/fd/99999")))
                    .hasMessage("cannot write report /dev/fd/99999: no such open descriptor");
            OutputFiles.checkReport(writeDescriptor);
            OutputFiles.writeReport(writeDescriptor, "second\n");
        }
        assertThat(readOnly).hasContent("jar");
        assertThat(appended).hasContent("first\nsecond\n");
    }

    /**
     * A descriptor or a standard stream spelt another way ("." or ".." on the way, a link to it) is still one: the
     * file behind a descriptor open for reading only (the JVM's jars; in the resident host, the host's own) must not
     * be replaced, and /dev/./stdout is the command's own stream, not the file it was redirected to (in the host:
     * the host's log).
     */
    @Test
    void aDescriptorOrAStandardStreamSpeltAnotherWayIsStillOne() throws IOException {
        Path readOnly = Files.writeString(directory.resolve("library.jar"), "jar");
        try (FileChannel reading = FileChannel.open(readOnly, StandardOpenOption.READ)) {
            String number = descriptorOf(readOnly).getFileName().toString();
            Path link = Files.createSymbolicLink(directory.resolve("link.dtb"), Path.of("/dev/fd", number));
            for (Path spelling : List.of(Path.of("/dev/./fd", number), Path.of("/dev/fd/../fd", number),
                    Path.of("/proc/self/./fd", number), link)) {
                assertThatThrownBy(() -> OutputFiles.checkOutput(spelling, "device tree")).as(spelling.toString())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("cannot write device tree " + spelling + ": the descriptor is open for reading "
                                + "only (this command's own files are not output)");
                assertThat(readOnly).as(spelling.toString()).hasContent("jar");
            }
        }
        Path toStdout = Files.createSymbolicLink(directory.resolve("stdout"), Path.of("/dev/stdout"));
        for (Path stdout : List.of(Path.of("/dev/./stdout"), Path.of("/dev/../dev/stdout"), toStdout)) {
            assertThat(OutputFiles.standardStream(stdout)).as(stdout.toString()).hasValue(1);
        }
        assertThat(OutputFiles.standardStream(Path.of("/dev/./stderr"))).hasValue(2);
        assertThat(OutputFiles.standardStream(readOnly)).isEmpty();
        assertThat(OutputFiles.standardStream(directory.resolve("missing/x.json"))).isEmpty();
    }

    /** The /dev/fd path of a descriptor this process has open on a file. */
    private static Path descriptorOf(Path file) throws IOException {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    if (Files.readSymbolicLink(descriptor).equals(file.toAbsolutePath())) {
                        return Path.of("/dev/fd", descriptor.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // The directory stream's own descriptor, closed by now.
                }
            }
        }
        throw new AssertionError("no descriptor open on " + file);
    }

    @Test
    void aReportWhereNoFileCanBeMadeIsRefusedBeforeTheRunWhateverThePermissionBitsSay() {
        assertThatThrownBy(() -> OutputFiles.checkReport(Path.of("/proc/version")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write report /proc/version: ");
        assertThat(directory).isEmptyDirectory();
        OutputFiles.checkReport(directory.resolve("report.json"));
        assertThat(directory).as("the probe leaves nothing").isEmptyDirectory();
    }

    @Test
    void aReportToADirectoryOrAMissingDirectoryIsRefusedBeforeTheRun() {
        assertThatThrownBy(() -> OutputFiles.checkReport(directory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write report " + directory + ": it is a directory");
        Path nowhere = directory.resolve("missing/report.json");
        assertThatThrownBy(() -> OutputFiles.checkReport(nowhere))
                .hasMessage("cannot write report " + nowhere + ": no such directory " + nowhere.getParent());
    }

    @Test
    void aReportNamedThroughADanglingChainOfLinksCreatesTheLastOnesTarget() throws IOException {
        Path first = Files.createSymbolicLink(directory.resolve("report.json"), Path.of("second.json"));
        Path second = Files.createSymbolicLink(directory.resolve("second.json"), Path.of("results/final.json"));
        Files.createDirectory(directory.resolve("results"));

        OutputFiles.writeReport(first, "new");

        assertThat(Files.isSymbolicLink(first)).isTrue();
        assertThat(Files.isSymbolicLink(second)).isTrue();
        assertThat(directory.resolve("results/final.json")).hasContent("new");
    }

    @Test
    void aReportNamedThroughALoopOfLinksIsRefusedAndTheLinksStay() throws IOException {
        Path first = Files.createSymbolicLink(directory.resolve("report.json"), Path.of("second.json"));
        Path second = Files.createSymbolicLink(directory.resolve("second.json"), Path.of("report.json"));

        assertThatThrownBy(() -> OutputFiles.checkReport(first)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write report " + first + ": too many levels of symbolic links");

        assertThat(Files.isSymbolicLink(first)).isTrue();
        assertThat(Files.isSymbolicLink(second)).isTrue();
        assertThat(names()).containsExactly("report.json", "second.json");
    }

    @Test
    void filesWrittenIntoADirectoryReplaceALinkThereInsteadOfWritingThroughIt() throws IOException {
        Path outside = Files.writeString(directory.resolve("outside.txt"), "mine");
        Path out = Files.createDirectory(directory.resolve("out"));
        Files.createSymbolicLink(out.resolve("compare.json"), outside);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("compare.csv", "csv");
        files.put("compare.json", "json");

        OutputFiles.checkDirectory(out, files.keySet());
        OutputFiles.writeInto(out, files);

        assertThat(outside).hasContent("mine");
        assertThat(Files.isSymbolicLink(out.resolve("compare.json"))).isFalse();
        assertThat(out.resolve("compare.json")).hasContent("json");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("compare.csv",
                    "compare.json");
        }
    }

    @Test
    void aDirectoryWhereNoFileCanBeMadeIsRefusedBeforeTheRunWhateverThePermissionBitsSay() {
        assertThatThrownBy(() -> OutputFiles.checkDirectory(Path.of("/proc"), List.of("compare.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write into /proc: no new file can be made in /proc");
        Path out = directory.resolve("out");
        OutputFiles.checkDirectory(out, List.of("compare.csv", "compare.json"));
        assertThat(out).as("made, and the probe leaves nothing").isEmptyDirectory();
    }

    @Test
    void aDirectoryThatIsAFileOrHoldsADirectoryOfAFilesNameIsRefusedBeforeTheRun() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "mine");
        assertThatThrownBy(() -> OutputFiles.checkDirectory(file, List.of("compare.csv")))
                .hasMessage("cannot write into " + file + ": it is a file, not a directory");
        Path out = Files.createDirectories(directory.resolve("out/compare.svg")).getParent();
        assertThatThrownBy(() -> OutputFiles.checkDirectory(out, List.of("compare.csv", "compare.svg")))
                .hasMessage("cannot write " + out.resolve("compare.svg") + ": it is a directory");
        assertThat(file).hasContent("mine");
    }
}
