package io.vmmlab.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Where a command line comes from: the directory its relative paths are relative to, the guest console's input and
 * output, whether the command may put the terminal in raw mode, and whether whoever started it has gone away (so a
 * guest it started should stop). A process started from a shell is {@link #local()}; the resident host gives each
 * session its client's.
 *
 * @param directory the working directory, absolute
 * @param in the guest console's input
 * @param consoleOut the guest console's output
 * @param ownsTerminal true when this process's own terminal is the console's (raw mode is then set here)
 * @param abandoned true once nobody waits for the result any more
 */
public record Invocation(Path directory, InputStream in, OutputStream consoleOut, boolean ownsTerminal,
                         BooleanSupplier abandoned) {
    private static final Path PROCESS_DIRECTORY = Path.of("").toAbsolutePath();

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when the directory is not absolute
     */
    public Invocation {
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute: " + directory);
        }
    }

    /**
     * The invocation of this process: its working directory, standard input and output, its terminal.
     *
     * @return the invocation
     */
    public static Invocation local() {
        return new Invocation(PROCESS_DIRECTORY, System.in, System.out, true, () -> false);
    }

    /**
     * Resolves a path the user gave against the working directory. A path that already means the same file here
     * (absolute, or relative while this process runs in that directory) is returned as given, so messages show it
     * as the user typed it.
     *
     * @param path a relative or absolute path
     * @return the path to open in this process
     */
    Path resolve(Path path) {
        return path.isAbsolute() || directory.equals(PROCESS_DIRECTORY) ? path : directory.resolve(path);
    }

    /**
     * Resolves a file name the user gave against the working directory (see {@link #resolve(Path)}).
     *
     * @param name a relative or absolute file name
     * @return the path to open in this process
     */
    Path resolve(String name) {
        return resolve(Path.of(name));
    }
}
