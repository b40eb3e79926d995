package io.vmmlab.cli;

import io.vmmlab.runtime.loader.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Temporary files a command makes for one run (scratch disks): the command deletes each when its run ends, and those
 * still here when the JVM exits (a run interrupted by Ctrl-C, a resident host stopped by a signal mid-run) are deleted
 * then, by one shutdown hook for the whole JVM. Unlike {@link java.io.File#deleteOnExit}, whose list only grows, a
 * file deleted by its command leaves the set, so a resident host running many commands keeps no list of them.
 */
final class ScratchFiles {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ScratchFiles() {
    }

    /**
     * Creates an empty file in the JVM's temporary directory, to be deleted by {@link #delete} or at the JVM's exit.
     *
     * @param prefix the start of its name
     * @param suffix the end of its name
     * @return the file
     * @throws IOException when it cannot be created, saying where and why ({@link #create(Path, String, String)})
     */
    static Path create(String prefix, String suffix) throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix, suffix);
    }

    /**
     * Creates an empty file in a directory, to be deleted by {@link #delete} or at the JVM's exit.
     *
     * @param directory where
     * @param prefix the start of its name
     * @param suffix the end of its name
     * @return the file
     * @throws IOException when it cannot be created; its message names the directory and the reason, for a one-line
     *         error (the system's own message is only the new file's name)
     */
    static Path create(Path directory, String prefix, String suffix) throws IOException {
        if (HOOKED.compareAndSet(false, true)) {
            // Not inheriting thread-locals: made in a resident host's session, it would keep that session's output.
            Runtime.getRuntime().addShutdownHook(new Thread(null, ScratchFiles::deletePending, "vmm-scratch-cleanup",
                    0, false));
        }
        Path file;
        try {
            file = Files.createTempFile(directory, prefix, suffix);
        } catch (IOException e) {
            throw new IOException("cannot make a file in " + directory + ": " + InputFiles.reason(e), e);
        }
        PENDING.add(file);
        return file;
    }

    /**
     * Deletes a file made by {@link #create}; if that fails, the JVM's exit tries again.
     *
     * @param file the file
     */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            PENDING.remove(file);
        } catch (IOException e) {
            // Stays pending: the shutdown hook tries again.
        }
    }

    /** Tells whether a file made by {@link #create} is still to be deleted. */
    static boolean isPending(Path file) {
        return PENDING.contains(file);
    }

    /** Deletes every file still pending (the shutdown hook; also callable by tests). */
    static void deletePending() {
        for (Path file : PENDING) {
            delete(file);
        }
    }
}
