package io.vmmlab.cli;

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
            err.println("vmm: " + exception.getMessage());
            return ExitCodes.USAGE;
        }
        log.debug("Internal error", exception);
        err.println("vmm: internal error: " + exception);
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
