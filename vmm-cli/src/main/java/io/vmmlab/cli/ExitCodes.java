package io.vmmlab.cli;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The process exit codes of every {@code vmm} command, as documented in README.md.
 */
public final class ExitCodes {
    /** Success, or the guest powered off cleanly / reported success. */
    public static final int SUCCESS = 0;
    /** The guest reported a failure, or is stuck. */
    public static final int GUEST_FAILURE = 1;
    /** Usage error or bad input (flags, files, sizes, names). */
    public static final int USAGE = 2;
    /** Internal error of the VMM. */
    public static final int INTERNAL_ERROR = 3;
    /** The instruction limit or the timeout was reached. */
    public static final int LIMIT_REACHED = 124;
    /**
     * A resident host's command whose client went away (Ctrl-C, a kill): it stopped and wrote nothing, as a JVM of its
     * own that the signal ended would have. Only the host's log shows it; the client's shell shows the signal's status.
     */
    static final int CLIENT_GONE = 130;

    /** What each code means, as {@code vmm --help} lists them. */
    static final SortedMap<Integer, String> MEANINGS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            SUCCESS, "success; the guest powered off cleanly or reported success",
            GUEST_FAILURE, "the guest reported a failure or is stuck (a hart trapping without end)",
            USAGE, "usage error or bad input",
            INTERNAL_ERROR, "internal error (of the VMM or of a plugin, named)",
            LIMIT_REACHED, "the instruction limit or the timeout was reached")));

    private ExitCodes() {
    }
}
