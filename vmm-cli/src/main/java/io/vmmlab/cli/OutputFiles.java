package io.vmmlab.cli;

import io.vmmlab.runtime.loader.InputFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the files a command leaves for its user (a run's {@code --report}, a comparison's {@code --out} directory)
 * without losing what was there: each is checked before the guest runs (so a bad target costs no run), then written
 * to a new file beside it and renamed over the old one (a failed write leaves the old file as it was), keeping the
 * old file's permissions. A report named through a symbolic link replaces the link's target, as a shell's
 * redirection would; one that is a pipe or a device is written to directly; {@code /dev/stdout} and
 * {@code /dev/stderr} are the command's own streams ({@link #standardStream}), and other open descriptors
 * ({@code /dev/fd/N}) are appended to, never replaced, if they were opened for writing ({@link OpenDescriptors}). Files
 * written into an {@code --out} directory replace whatever has their name there, a link included, so that nothing
 * outside the directory is written.
 */
public final class OutputFiles {
    /** How many links a dangling chain may have (Linux's limit). */
    private static final int MAX_LINK_HOPS = 40;
    /** The most characters of a target's name in the name of the new file written beside it. */
    private static final int NAME_PART = 40;
    /** A descriptor's own link: {@code /proc/PID/fd/N} or {@code /proc/PID/task/TID/fd/N}. */
    private static final Pattern PROC_DESCRIPTOR = Pattern.compile("/proc/([0-9]+)(?:/task/[0-9]+)?/fd/([0-9]+)");

    private OutputFiles() {
    }

    /**
     * Checks, before a run, that a report can go to a file.
     *
     * @param report the file
     * @throws IllegalArgumentException when it is a directory, a loop of symbolic links, or its directory does not
     *         exist
     */
    static void checkReport(Path report) {
        checkOutput(report, "report");
    }

    /**
     * Checks, before a run, that a file the command writes at its end can go where the user asked.
     *
     * @param report the file
     * @param what what it is, for messages ("report", "device tree")
     * @throws IllegalArgumentException when it is a directory, a loop of symbolic links, or its directory does not
     *         exist
     */
    static void checkOutput(Path report, String what) {
        String failure = "cannot write " + what + " " + report;
        if (standardStream(report).isPresent()) {
            return;
        }
        Path descriptor = descriptorPath(report);
        if (OpenDescriptors.isDescriptor(descriptor)) {
            OpenDescriptors.refusal(descriptor).ifPresent(reason -> {
                throw new IllegalArgumentException(failure + ": " + reason);
            });
            return;
        }
        if (Files.isDirectory(report)) {
            throw new IllegalArgumentException(failure + ": it is a directory");
        }
        Path target = target(report);
        if (Files.isSymbolicLink(target)) { // still a link after as many hops as Linux follows: a loop
            throw new IllegalArgumentException(failure + ": too many levels of symbolic links");
        }
        Path directory = target.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(failure + ": "
                    + (directory != null && Files.exists(directory) ? directory + " is not a directory"
                            : "no such directory " + (directory == null ? report : directory)));
        }
        boolean replaced = !Files.exists(target) || Files.isRegularFile(target);
        if (!Files.isWritable(replaced ? directory : target)) {
            throw new IllegalArgumentException(failure + ": permission denied");
        }
        if (replaced) {
            probe(target, failure);
        }
    }

    /**
     * Checks, before a run, that a report would not replace one of the run's own input files (its kernel, disk
     * image, firmware...): renaming the report over it would lose the file.
     *
     * @param report the report's file
     * @param inputs the files the run reads
     * @throws IllegalArgumentException when the report names one of them
     */
    static void checkNotAnInput(Path report, Collection<Path> inputs) {
        checkNotAnInput(report, inputs, "report");
    }

    /**
     * Checks, before a run, that a file the command writes would not replace one of the run's own input files.
     *
     * @param report the file
     * @param inputs the files the run reads
     * @param what what the file is, for messages ("report", "device tree")
     * @throws IllegalArgumentException when the file names one of them
     */
    static void checkNotAnInput(Path report, Collection<Path> inputs, String what) {
        if (standardStream(report).isPresent() || OpenDescriptors.isDescriptor(descriptorPath(report))) {
            return;
        }
        Path target = target(report);
        if (!Files.exists(target)) {
            return;
        }
        for (Path input : inputs) {
            try {
                if (Files.exists(input) && Files.isSameFile(target, input)) {
                    throw new IllegalArgumentException("cannot write " + what + " " + report + ": it is the command's "
                            + "input " + input);
                }
            } catch (IOException e) {
                // Unreadable: the run's own checks say so.
            }
        }
    }

    /**
     * Checks, before a command writes files into a directory ({@link #writeInto}), that none of them would replace
     * one of the command's input files (a saved comparison it re-prices, a cost-model file). A link there is
     * replaced, not followed: only a file itself can be the input it would lose.
     *
     * @param directory the directory
     * @param names the files that will be written into it
     * @param inputs the files the command reads
     * @throws IllegalArgumentException when a file there is one of them
     */
    static void checkNotAnInputInto(Path directory, Iterable<String> names, Collection<Path> inputs) {
        for (String name : names) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                checkNotAnInput(file, inputs, "--out file");
            }
        }
    }

    /**
     * Makes and removes a file where a target's new file will be made: the permission bits do not tell (root
     * passes them; a read-only mount or {@code /proc} refuses anyway), and a run should not end in a failed write.
     *
     * @param target the file the new one will replace
     * @param failure the start of the error message ("cannot write report F")
     */
    private static void probe(Path target, String failure) {
        try {
            Files.delete(newFileBeside(target, new byte[0]));
        } catch (NoSuchFileException e) { // the directory exists: it takes no new files (/proc)
            throw new IllegalArgumentException(failure + ": no new file can be made in "
                    + target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalArgumentException(failure + ": " + InputFiles.reason(e));
        }
    }

    /**
     * The standard stream a report path names ({@code /dev/stdout}, {@code /dev/fd/1}, {@code /proc/self/fd/1}, and
     * the same for 2): the command writes the report to its own stream, which in the resident host is its client's,
     * rather than replace whatever file the stream was redirected to.
     *
     * @param report the path, absolute
     * @return 1 or 2, or empty for another path
     */
    static OptionalInt standardStream(Path report) {
        String name = report.toString();
        String descriptor = descriptorPath(report).toString();
        for (int stream = 1; stream <= 2; stream++) {
            if (name.equals(stream == 1 ? "/dev/stdout" : "/dev/stderr") || name.equals("/dev/fd/" + stream)
                    || name.equals("/proc/self/fd/" + stream) || descriptor.equals("/dev/fd/" + stream)) {
                return OptionalInt.of(stream);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The descriptor a path names however it is spelt ({@code /dev/./stdout}, {@code /dev/fd/../fd/4}, a link to
     * {@code /dev/fd/4}): {@code /dev/fd/N} for one of this process's, {@code /proc/PID/fd/N} for another process's,
     * else the path itself. The directories on the way and the links of the last name are followed, never a
     * descriptor's own link (which leads to the file behind it: a jar the JVM reads, the file a stream goes to).
     *
     * @param path a path
     * @return the descriptor's path, or {@code path}
     */
    static Path descriptorPath(Path path) {
        Path current = path.toAbsolutePath();
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            Path parent = current.getParent();
            Path name = current.getFileName();
            if (parent == null || name == null) {
                return path;
            }
            try {
                // A real directory has no links: "." and ".." after it mean what the system makes of them.
                current = parent.toRealPath().resolve(name).normalize();
                Matcher descriptor = PROC_DESCRIPTOR.matcher(current.toString());
                if (descriptor.matches()) {
                    return Long.parseLong(descriptor.group(1)) == ProcessHandle.current().pid()
                            ? Path.of("/dev/fd", descriptor.group(2)) : current;
                }
                if (!Files.isSymbolicLink(current)) {
                    return path;
                }
                current = current.getParent().resolve(Files.readSymbolicLink(current));
            } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
                return path;
            }
        }
        return path;
    }

    /**
     * Writes a report (see the class comment).
     *
     * @param report the file
     * @param content the text
     * @throws IllegalArgumentException when it cannot be written
     */
    static void writeReport(Path report, String content) {
        writeFile(report, content.getBytes(StandardCharsets.UTF_8), "report");
    }

    /**
     * Writes a file the command makes at its end, as a report is written (see the class comment).
     *
     * @param report the file
     * @param content the bytes
     * @param what what it is, for messages ("report", "device tree")
     * @throws IllegalArgumentException when it cannot be written
     */
    static void writeFile(Path report, byte[] content, String what) {
        try {
            Path descriptor = descriptorPath(report);
            if (OpenDescriptors.isDescriptor(descriptor)) {
                writeDirectly(descriptor, content, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                return;
            }
            Path target = target(report);
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                writeDirectly(target, content, StandardOpenOption.WRITE);
                return;
            }
            replaceAll(Map.of(target, content));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + what + " " + report + ": " + InputFiles.reason(e));
        }
    }

    /**
     * Checks, before a run, that files can be written into a directory: makes it if missing, and makes and removes
     * a file there (a directory the user may not write, a read-only mount or {@code /proc} refuses it), so that a
     * comparison that runs for an hour does not end in a failed write.
     *
     * @param directory the directory
     * @param names the files that will be written into it
     * @throws IllegalArgumentException when it is not a directory, a name there is a directory, or no file can be
     *         made there
     */
    static void checkDirectory(Path directory, Iterable<String> names) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("cannot write into " + directory + ": it is "
                    + (Files.isRegularFile(directory) ? "a file" : "not a regular file (a pipe or a device)")
                    + ", not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot make directory " + directory + ": " + InputFiles.reason(e));
        }
        for (String name : names) {
            if (Files.isDirectory(directory.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("cannot write " + directory.resolve(name) + ": it is a directory");
            }
            probe(directory.resolve(name), "cannot write into " + directory);
        }
    }

    /**
     * Writes files into a directory checked by {@link #checkDirectory}: all of them to new files first, then each
     * renamed over its name.
     *
     * @param directory the directory
     * @param files names and contents, in order
     * @throws IllegalArgumentException when they cannot be written
     */
    static void writeInto(Path directory, Map<String, String> files) {
        Map<Path, byte[]> targets = new LinkedHashMap<>();
        files.forEach((name, content) -> targets.put(directory.resolve(name),
                content.getBytes(StandardCharsets.UTF_8)));
        try {
            replaceAll(targets);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write into " + directory + ": " + InputFiles.reason(e));
        }
    }

    /** Writes each content to a new file beside its target, then renames each over its target. */
    private static void replaceAll(Map<Path, byte[]> targets) throws IOException {
        Map<Path, Path> written = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, byte[]> target : targets.entrySet()) {
                written.put(newFileBeside(target.getKey(), target.getValue()), target.getKey());
            }
            for (Map.Entry<Path, Path> file : written.entrySet()) {
                keepPermissions(file.getValue(), file.getKey());
                move(file.getKey(), file.getValue());
            }
        } finally {
            for (Path temporary : written.keySet()) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Writes to a pipe, a device or an open descriptor as it is (nothing to rename over). */
    private static void writeDirectly(Path file, byte[] content, OpenOption... options) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, options)) {
            out.write(content);
        }
    }

    /** The file a name means: a symbolic link's target (resolved as far as it exists), else the name itself. */
    private static Path target(Path file) {
        try {
            return Files.isSymbolicLink(file) ? file.toRealPath() : file;
        } catch (IOException e) { // a dangling link, or a chain of them: write the file the last one names
            Path current = file;
            try {
                for (int hop = 0; hop < MAX_LINK_HOPS && Files.isSymbolicLink(current); hop++) {
                    Path link = Files.readSymbolicLink(current);
                    Path parent = current.toAbsolutePath().getParent();
                    current = parent == null ? link : parent.resolve(link);
                }
                return current;
            } catch (IOException | UnsupportedOperationException unreadable) {
                return current;
            }
        }
    }

    /** A new file in the target's directory, created as any new file (the umask applies), holding the content. */
    private static Path newFileBeside(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = directory.resolve(temporaryName(target.getFileName()));
        Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return temporary;
    }

    /**
     * The name of a new file beside a target: the target's name (its first {@link #NAME_PART} characters, so that a
     * name near the file system's limit of 255 bytes still leaves room) with a random part.
     */
    private static String temporaryName(Path targetName) {
        String name = targetName == null ? "report" : targetName.toString();
        if (name.codePointCount(0, name.length()) > NAME_PART) {
            name = name.substring(0, name.offsetByCodePoints(0, NAME_PART)); // whole characters: no half surrogate
        }
        return "." + name + "." + UUID.randomUUID() + ".tmp";
    }

    private static void keepPermissions(Path old, Path replacement) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(old, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view != null && Files.isRegularFile(old, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(replacement, view.readAttributes().permissions());
        }
    }

    /**
     * Puts a finished file in place of another: atomically where the file system can, so a reader sees the old
     * file or the new one, never a part.
     *
     * @param from the finished file
     * @param to where it goes; replaced if it exists
     * @throws IOException when it cannot be moved
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Only a leftover temporary file.
        }
    }
}
