package io.vmmlab.cli.args;

/**
 * A command line that does not fit its command's syntax: an unknown option, a missing or bad value, an extra
 * argument. The message is one line without the program name ({@code Unknown option: '--frob'}). It is an
 * {@link IllegalArgumentException}, so whoever reports bad input as a usage error reports this one too.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line
     */
    public UsageException(String message) {
        super(message);
    }
}
