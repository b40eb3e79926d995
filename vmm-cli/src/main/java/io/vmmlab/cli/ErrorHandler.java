package io.vmmlab.cli;

import io.vmmlab.runtime.discovery.PluginFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;

/**
 * Turns failures into one line on standard error and a documented exit code, never a stack trace: bad flags and
 * bad input (the parser's {@link io.vmmlab.cli.args.UsageException} is an {@link IllegalArgumentException}) exit 2,
 * anything else is an internal error and exits 3 (the stack trace goes to the debug log).
 */
final class ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final PrintWriter err;

    ErrorHandler(PrintWriter err) {
        this.err = err;
    }

    /**
     * Reports a failure.
     *
     * @param exception what a command threw
     * @return the exit code
     */
    int handle(RuntimeException exception) {
        if (exception instanceof IllegalArgumentException) { // ImageException among them
            err.println("vmm: " + oneLine(String.valueOf(exception.getMessage())));
            return ExitCodes.USAGE;
        }
        log.debug("Internal error", exception);
        err.println("vmm: internal error: " + oneLine(exception.toString()));
        return ExitCodes.INTERNAL_ERROR;
    }

    /**
     * A message as one line: a control character it carries (a newline in a file name or a flag's value the user
     * gave) is shown escaped: a newline as backslash and n, others by their code in hexadecimal.
     *
     * @param message the message
     * @return the line
     */
    static String oneLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if (c == '\t') {
                line.append("\\t");
            } else if (Character.isISOControl(c)) {
                line.append(String.format("\\u%04x", c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return line.toString();
    }

    /**
     * Reports a plugin's class that could not be loaded or initialized (a jar missing from {@code VMM_CLASSPATH}, a
     * class built for a newer Java) or a failed assertion (a plugin's or the VMM's own): an internal error, with a
     * hint where it is a class.
     *
     * @param error a {@link LinkageError} or {@link AssertionError} a command threw
     * @return the exit code
     */
    int handleError(Error error) {
        log.debug("Internal error", error);
        err.println("vmm: internal error: " + oneLine(error.toString()) + PluginFailure.hint(error));
        return ExitCodes.INTERNAL_ERROR;
    }

    /**
     * Reports the JVM running out of memory or stack: an internal error too, with a hint at the JVM options.
     *
     * @param error what a command threw
     * @return the exit code
     */
    int handle(VirtualMachineError error) {
        log.debug("Internal error", error);
        err.println("vmm: internal error: " + error + " (VMM_JAVA_OPTS sets the JVM's limits, such as -Xmx or -Xss)");
        return ExitCodes.INTERNAL_ERROR;
    }
}
