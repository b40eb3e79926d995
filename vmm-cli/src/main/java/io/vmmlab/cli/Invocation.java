package io.vmmlab.cli;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.loader.BundledGuests;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where a command line comes from: the directory its relative paths are relative to, the guest console's input and
 * output, how the console's terminal goes into raw mode and back, and whether whoever started the command has gone
 * away (so a guest it started should stop). A process started from a shell is {@link #local()}; the resident host
 * gives each session its client's ({@link #remote}).
 */
public final class Invocation {
    private static final Path PROCESS_DIRECTORY = Path.of("").toAbsolutePath();

    private final Path directory;
    private final InputStream in;
    private final OutputStream consoleOut;
    private final Consumer<Boolean> rawMode;
    private final BooleanSupplier abandoned;
    private final boolean local;

    private Invocation(Path directory, InputStream in, OutputStream consoleOut, Consumer<Boolean> rawMode,
                       BooleanSupplier abandoned, boolean local) {
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute: " + directory);
        }
        this.directory = directory;
        this.in = in;
        this.consoleOut = consoleOut;
        this.rawMode = rawMode;
        this.abandoned = abandoned;
        this.local = local;
    }

    /**
     * The invocation of this process: its working directory, standard input and output, its own terminal.
     *
     * @return the invocation
     */
    public static Invocation local() {
        return new Invocation(PROCESS_DIRECTORY, System.in, System.out, null, () -> false, true);
    }

    /**
     * An invocation from another process (a client of the resident host).
     *
     * @param directory the client's working directory, absolute
     * @param in the guest console's input
     * @param consoleOut the guest console's output
     * @param rawMode puts the client's terminal in raw mode ({@code true}) or back ({@code false}), if it has one
     * @param abandoned true once nobody waits for the result any more
     * @return the invocation
     * @throws IllegalArgumentException when the directory is not absolute
     */
    public static Invocation remote(Path directory, InputStream in, OutputStream consoleOut,
                                    Consumer<Boolean> rawMode, BooleanSupplier abandoned) {
        return new Invocation(directory, in, consoleOut, rawMode, abandoned, false);
    }

    /**
     * The working directory.
     *
     * @return an absolute path
     */
    public Path directory() {
        return directory;
    }

    /**
     * The guest console's input.
     *
     * @return the stream
     */
    public InputStream in() {
        return in;
    }

    /**
     * The guest console's output.
     *
     * @return the stream
     */
    public OutputStream consoleOut() {
        return consoleOut;
    }

    /**
     * Tells whether whoever started the command has gone away.
     *
     * @return the check
     */
    public BooleanSupplier abandoned() {
        return abandoned;
    }

    /**
     * Tells whether this is the invocation of this process itself (not a client's, run in the resident host).
     *
     * @return true for {@link #local()}
     */
    boolean isLocal() {
        return local;
    }

    /**
     * Puts the console's terminal in raw mode for a guest (so Ctrl-C and line editing reach it).
     *
     * @return the mode, whose close puts the terminal back
     */
    TerminalMode rawTerminal() {
        if (local) {
            return TerminalMode.raw();
        }
        rawMode.accept(true);
        return TerminalMode.restoredBy(() -> rawMode.accept(false));
    }

    /**
     * Resolves a path the user gave against the working directory. In this process's own invocation a relative
     * path is returned as given (it means the same file, and messages show it as the user typed it).
     *
     * @param path a relative or absolute path
     * @return the path to open in this process
     */
    Path resolve(Path path) {
        return path.isAbsolute() || local ? path : directory.resolve(path);
    }

    /**
     * Resolves an image option's value: a bundled image ({@code bundled:NAME}) as named, a file against the working
     * directory (see {@link #resolve(Path)}).
     *
     * @param value the option's value
     * @return the value to open the image by
     * @throws IllegalArgumentException when the value is empty
     */
    String resolveImage(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty image name (give a file, or bundled:NAME; see 'vmm guests')");
        }
        return value.startsWith(BundledGuests.PREFIX) ? value : resolve(value).toString();
    }

    /**
     * Resolves a cost-model option's value: a preset by name, else a cost-model file against the working directory.
     *
     * @param value the option's value
     * @return the model
     * @throws IllegalArgumentException when it is neither
     */
    CostModel resolveCostModel(String value) {
        CostModelCatalog catalog = CostModelCatalog.presets();
        return catalog.resolve(catalog.names().contains(value) ? value : resolve(value).toString());
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
