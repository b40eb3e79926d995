package io.vmmlab.cli;

import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;

import java.io.PrintWriter;

/**
 * One subcommand of {@code vmm}: what it accepts and what it does.
 */
interface Command {
    /**
     * Returns the command's name, description, options and parameters.
     *
     * @return the syntax
     */
    CommandSyntax syntax();

    /**
     * Runs the command.
     *
     * @param arguments the parsed arguments (help was not asked for)
     * @param out standard output
     * @param err standard error
     * @return the exit code ({@link ExitCodes})
     * @throws IllegalArgumentException on bad input (a usage error, exit 2)
     */
    int run(ParsedArguments arguments, PrintWriter out, PrintWriter err);
}
