package io.vmmlab.cli;

/**
 * The process exit codes of every {@code vmm} command, as documented in README.md.
 */
public final class ExitCodes {
    /** Success, or the guest powered off cleanly / reported success. */
    public static final int SUCCESS = 0;
    /** The guest reported a failure. */
    public static final int GUEST_FAILURE = 1;
    /** Usage error or bad input (flags, files, sizes, names). */
    public static final int USAGE = 2;
    /** Internal error of the VMM. */
    public static final int INTERNAL_ERROR = 3;
    /** The instruction limit or the timeout was reached. */
    public static final int LIMIT_REACHED = 124;

    private ExitCodes() {
    }
}
