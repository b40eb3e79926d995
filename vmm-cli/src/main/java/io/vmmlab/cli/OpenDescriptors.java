package io.vmmlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths that name an open file descriptor ({@code /dev/fd/N}, {@code /proc/PID/fd/N}), as a shell's process
 * substitution ({@code --report >(jq .)}) or a redirection ({@code --report /dev/fd/3 3>>all.json}) hands them over.
 * Opening such a path opens the file behind the descriptor afresh, with whatever access is asked, so a command that
 * writes there must first check that the descriptor itself was opened for writing: the JVM's own descriptors (its
 * jars, the JDK's modules) are open for reading only, and must never be written.
 */
final class OpenDescriptors {
    private static final Pattern DESCRIPTOR = Pattern.compile("/dev/fd/([0-9]+)|/proc/([0-9a-z-]+)/fd/([0-9]+)");
    private static final Pattern MENTIONED =
            Pattern.compile("(^|[=,])(/dev/fd/[0-9]+|/proc/[^/,]+/fd/[0-9]+)(,|$)");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags:\\s*([0-7]+)\\s*$");
    private static final int ACCESS_MODE = 3;
    private static final int READ_ONLY = 0;

    private OpenDescriptors() {
    }

    /**
     * Tells whether a path names an open descriptor.
     *
     * @param path the path
     * @return true for {@code /dev/fd/N} and {@code /proc/PID/fd/N}
     */
    static boolean isDescriptor(Path path) {
        return DESCRIPTOR.matcher(path.toString()).matches();
    }

    /**
     * Tells whether a command-line value names a descriptor path, alone or inside a list ({@code /dev/fd/5,readonly},
     * {@code path=/dev/fd/63}).
     *
     * @param value the value
     * @return true when it does
     */
    static boolean mentions(String value) {
        return MENTIONED.matcher(value).find();
    }

    /**
     * Says why a descriptor path cannot take this process's output, if it cannot: the descriptor is not open, or
     * is open for reading only. Where the system has no {@code /proc/self/fdinfo} to tell, nothing is refused.
     *
     * @param path a path {@link #isDescriptor} accepts
     * @return the reason, or empty when it may be written
     */
    static Optional<String> refusal(Path path) {
        Matcher matcher = DESCRIPTOR.matcher(path.toString());
        if (!matcher.matches()) {
            return Optional.of("not a descriptor");
        }
        if (!Files.isDirectory(Path.of("/proc/self/fdinfo"))) {
            return Optional.empty();
        }
        Path info = matcher.group(1) != null ? Path.of("/proc/self/fdinfo", matcher.group(1))
                : Path.of("/proc", matcher.group(2), "fdinfo", matcher.group(3));
        String text;
        try {
            text = Files.readString(info);
        } catch (IOException e) {
            return Optional.of("no such open descriptor");
        }
        Matcher flags = FLAGS.matcher(text);
        if (!flags.find()) {
            return Optional.empty();
        }
        if ((Integer.parseInt(flags.group(1), 8) & ACCESS_MODE) == READ_ONLY) {
            return Optional.of("the descriptor is open for reading only (this command's own files are not output)");
        }
        return Optional.empty();
    }
}
