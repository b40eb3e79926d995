package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 'vmm run' deletes the scratch disks it made when it returns: the resident host runs many commands in one JVM, so
 * deleting them only when the JVM exits would fill the temporary directory. The run's scratch disk is seen being
 * created, so the check that none is left cannot pass merely because none was made.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RunCommandScratchDiskTest {
    private static final Path TEMPORARY_DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"));

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** The console reads no input and its output goes nowhere: the test runner's own streams stay untouched. */
    private static final Invocation DETACHED = Invocation.remote(Path.of("").toAbsolutePath(),
            new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), raw -> { }, () -> false);

    private static Set<String> scratchDisks() throws IOException {
        try (Stream<Path> files = Files.list(TEMPORARY_DIRECTORY)) {
            return files.map(file -> file.getFileName().toString()).filter(RunCommandScratchDiskTest::isScratchDisk)
                    .collect(Collectors.toSet());
        }
    }

    private static boolean isScratchDisk(String name) {
        return name.startsWith("vmm-scratch-") && name.endsWith(".img");
    }

    private static void assertNoneLeftSince(Set<String> before) throws IOException {
        Set<String> left = new HashSet<>(scratchDisks());
        left.removeAll(before);
        assertThat(left).as("scratch disks left in %s", TEMPORARY_DIRECTORY).isEmpty();
    }

    /** Runs the command line and returns the scratch disks created in the temporary directory meanwhile. */
    private Set<String> runWatchingScratchDisks(int expectedCode, String... args)
            throws IOException, InterruptedException {
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            TEMPORARY_DIRECTORY.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);

            int code = Vmm.execute(args, DETACHED, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(code).as("%s", err).isEqualTo(expectedCode);
            Set<String> created = new HashSet<>();
            for (WatchKey key = watcher.poll(2, TimeUnit.SECONDS); key != null; key = watcher.poll()) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path file && isScratchDisk(file.toString())) {
                        created.add(file.toString());
                    }
                }
                key.reset();
            }
            return created;
        }
    }

    @Test
    void runWithAScratchDiskLeavesNoScratchDiskBehind() throws IOException, InterruptedException {
        Set<String> before = scratchDisks();

        Set<String> created = runWatchingScratchDisks(ExitCodes.LIMIT_REACHED, "run", "--quiet", "--bios", "none",
                "--mem", "16M", "--kernel", "bundled:bench-small", "--max-instructions", "20000", "--disk", "scratch",
                "--disk", "scratch:64K");

        assertThat(created).as("scratch disks the run made").hasSizeGreaterThanOrEqualTo(2);
        assertNoneLeftSince(before);
    }

    @Test
    void theDefaultGuestsScratchDiskIsDeletedToo() throws IOException, InterruptedException {
        Set<String> before = scratchDisks();

        Set<String> created = runWatchingScratchDisks(ExitCodes.LIMIT_REACHED, "run", "--quiet",
                "--max-instructions", "20000");

        assertThat(created).as("scratch disks the run made").isNotEmpty();
        assertNoneLeftSince(before);
    }

    @Test
    void aRunThatFailsAfterMakingAScratchDiskDeletesItToo() throws IOException, InterruptedException {
        Set<String> before = scratchDisks();

        // The scratch disk is made while the devices are read; the missing kernel fails the run after that.
        Set<String> created = runWatchingScratchDisks(ExitCodes.USAGE, "run", "--bios", "none", "--disk", "scratch",
                "--kernel", "/nonexistent/kernel.elf");

        assertThat(err.toString()).contains("/nonexistent/kernel.elf");
        assertThat(created).as("scratch disks the run made").isNotEmpty();
        assertNoneLeftSince(before);
    }
}
