package io.vmmlab.runtime.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guest images that ship on the classpath (the vmm-guests artifact), named in
 * {@code io/vmmlab/guests/guests.list} (one line each: name, tab, description). Users name them as
 * {@code bundled:NAME} wherever an image path is expected.
 */
public final class BundledGuests {
    /** The prefix that marks a bundled image in place of a path. */
    public static final String PREFIX = "bundled:";
    private static final String DIRECTORY = "io/vmmlab/guests/";

    /**
     * The images already extracted by this JVM, per class loader and name: a long-lived JVM (the resident host, a
     * comparison of many runs) extracts each image once instead of leaving one temporary file per run.
     */
    private static final Map<ClassLoader, Map<String, Path>> EXTRACTED = new WeakHashMap<>();
    /** The name each extracted copy stands for ({@code bundled:NAME}), for messages about it. */
    private static final Map<Path, String> NAMES = new ConcurrentHashMap<>();
    /** Where this JVM extracts images, and its file key when made; guarded by {@link #EXTRACTED}. */
    private static Path directory;
    private static Object directoryKey;

    private final ClassLoader loader;

    /**
     * Reads the images visible to a class loader.
     *
     * @param loader where the vmm-guests artifact is
     */
    public BundledGuests(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Lists the bundled images.
     *
     * @return name to description, in the list's order; empty when vmm-guests is not on the classpath
     */
    public Map<String, String> list() {
        Map<String, String> guests = new LinkedHashMap<>();
        try (InputStream in = loader.getResourceAsStream(DIRECTORY + "guests.list")) {
            if (in == null) {
                return guests;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\t", 2);
                if (!fields[0].isBlank()) {
                    guests.put(fields[0].trim(), fields.length > 1 ? fields[1].trim() : "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the list of bundled guests", e);
        }
        return guests;
    }

    /**
     * Resolves an image argument: a path as given, or a bundled image copied to a temporary file (once per JVM and
     * name) that is deleted when the JVM exits.
     *
     * @param argument a path or {@code bundled:NAME}
     * @return a path to read the image from
     * @throws ImageException when the bundled name is unknown
     */
    public Path resolve(String argument) {
        if (!argument.startsWith(PREFIX)) {
            return Path.of(argument);
        }
        String name = argument.substring(PREFIX.length());
        synchronized (EXTRACTED) {
            Map<String, Path> extracted = EXTRACTED.computeIfAbsent(loader, key -> new HashMap<>());
            Path file = extracted.get(name);
            if (file == null || !isTheDirectoryMade() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                file = extract(name);
                extracted.put(name, file);
            }
            return file;
        }
    }

    /**
     * Names an image file for messages: {@code bundled:NAME} for a bundled image's extracted copy (its temporary
     * file's name means nothing to the user), else the path.
     *
     * @param path an image file, as {@link #resolve} or the user gave it
     * @return how to name it
     */
    public static String displayName(Path path) {
        return NAMES.getOrDefault(path, path.toString());
    }

    /**
     * The directory this JVM extracts into, readable by its owner only where the file system says so: a file kept
     * for the JVM's life in a shared temporary directory could be replaced by someone else's once a cleaner removed
     * it. Called with {@link #EXTRACTED} held.
     */
    private static Path privateDirectory() throws IOException {
        if (!isTheDirectoryMade()) {
            try {
                directory = Files.createTempDirectory("vmm-guests-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                directory = Files.createTempDirectory("vmm-guests-");
            }
            directory.toFile().deleteOnExit(); // after the files in it, which are registered later
            directoryKey = key(directory);
        }
        return directory;
    }

    /**
     * Tells whether this JVM made its directory and it is still that one (not removed, nor replaced by another, or a
     * link). Called with {@link #EXTRACTED} held.
     */
    private static boolean isTheDirectoryMade() {
        if (directory == null) {
            return false;
        }
        try {
            Object key = key(directory);
            return key != null && key.equals(directoryKey);
        } catch (IOException e) {
            return false;
        }
    }

    private static Object key(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return attributes.isDirectory() ? attributes.fileKey() : null;
    }

    private Path extract(String name) {
        if (!list().containsKey(name)) {
            throw new ImageException(String.format("unknown bundled guest '%s'; available: %s", name,
                    list().isEmpty() ? "none (they are in io.vmmlab:vmm-guests: is it on the class path?)"
                            : String.join(", ", list().keySet())));
        }
        try (InputStream in = loader.getResourceAsStream(DIRECTORY + name + ".elf")) {
            if (in == null) {
                throw new ImageException("bundled guest '" + name + "' is listed but its image is missing");
            }
            Path file = Files.createTempFile(privateDirectory(), "vmm-" + name + "-", ".elf");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            NAMES.put(file, PREFIX + name);
            return file;
        } catch (IOException e) {
            // The system's message is often only a path (the temporary directory's, when java.io.tmpdir is missing).
            String file = e instanceof FileSystemException failure && failure.getFile() != null
                    ? failure.getFile() + ": " : "";
            throw new ImageException("cannot extract bundled guest '" + name + "': " + file + InputFiles.reason(e));
        }
    }
}
