package io.vmmlab.runtime.loader;

/**
 * Thrown when a guest image cannot be used: missing, truncated, not a RISC-V RV64 ELF, or not fitting RAM. The
 * message is one line meant for the user; the command line turns it into exit code 2. An
 * {@link IllegalArgumentException}, as every other mistake in what a run was given (the library's entry points
 * document that one type).
 */
public final class ImageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with which file
     */
    public ImageException(String message) {
        super(message);
    }
}
