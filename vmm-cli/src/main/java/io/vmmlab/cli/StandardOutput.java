package io.vmmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a command's user when its standard output was lost: {@link PrintStream} swallows write errors, so
 * {@code vmm compare --format csv > results.csv} on a full disk would exit 0 with the results gone. A reader that
 * went away (a pipe or socket closed early, {@code | head}) is not an error: it wanted no more, as a command a
 * SIGPIPE ends says nothing.
 */
final class StandardOutput {
    /** Where Linux shows what descriptor 1 is ({@code pipe:[N]}, {@code socket:[N]} or a file's name). */
    static final Path DESCRIPTOR = Path.of("/proc/self/fd/1");

    private StandardOutput() {
    }

    /**
     * Checks a finished command's standard output.
     *
     * @param code the command's exit code
     * @param out standard output
     * @param err standard error
     * @param descriptor the link that names standard output's file ({@link #DESCRIPTOR})
     * @return the exit code: {@link ExitCodes#USAGE} when output was lost (an output that cannot be written, as a
     *         report's), unless the command failed internally
     */
    static int checked(int code, PrintStream out, PrintStream err, Path descriptor) {
        if (!out.checkError() || readerGone(descriptor)) { // checkError flushes first
            return code;
        }
        err.println("vmm: cannot write standard output");
        err.flush();
        return code == ExitCodes.INTERNAL_ERROR ? code : ExitCodes.USAGE;
    }

    private static boolean readerGone(Path descriptor) {
        try {
            String file = Files.readSymbolicLink(descriptor).toString();
            if (file.startsWith("pipe:") || file.startsWith("socket:")) {
                return true;
            }
            // A named pipe shows its path: ask the file's type (S_IFIFO, S_IFSOCK).
            int type = (Integer) Files.getAttribute(descriptor, "unix:mode") & 0170000;
            return type == 0010000 || type == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // not Linux, or gone: the error stands
        }
    }
}
