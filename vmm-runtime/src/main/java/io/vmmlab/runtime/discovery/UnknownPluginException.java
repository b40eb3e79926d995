package io.vmmlab.runtime.discovery;

/**
 * Thrown when a user names a strategy, CPU or device that no installed plugin provides. Its message is one line
 * that lists the names that are available.
 */
public final class UnknownPluginException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a one-line explanation listing the known names
     */
    public UnknownPluginException(String message) {
        super(message);
    }
}
