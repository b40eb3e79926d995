package io.vmmlab.cli;

import io.vmmlab.runtime.loader.ImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns failures into one line on standard error and a documented exit code, never a stack trace: bad flags and
 * bad input exit 2, anything else is an internal error and exits 3 (the stack trace goes to the debug log).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        exception.getCommandLine().getErr().println("vmm: " + exception.getMessage());
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        if (exception instanceof CommandLine.ParameterException parameterException) {
            return handleParseException(parameterException, parseResult.originalArgs().toArray(new String[0]));
        }
        if (exception instanceof ImageException || exception instanceof IllegalArgumentException) {
            commandLine.getErr().println("vmm: " + exception.getMessage());
            return ExitCodes.USAGE;
        }
        log.debug("Internal error", exception);
        commandLine.getErr().println("vmm: internal error: " + exception);
        return ExitCodes.INTERNAL_ERROR;
    }
}
