package io.vmmlab.cli;

import io.vmmlab.cli.args.CommandHelp;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.HelpText;
import io.vmmlab.cli.args.Option;
import io.vmmlab.cli.args.Parameter;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.cli.args.ValueType;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vmm help [COMMAND]}: the help of {@code vmm} (its commands and exit codes), or of one command (its
 * options). {@code vmm --help} and {@code vmm COMMAND --help} print the same.
 */
final class HelpCommand implements Command {
    private static final Parameter<String> COMMAND = Parameter.optional("COMMAND", ValueType.STRING,
            "The command to describe; without it, vmm itself.");
    private static final CommandSyntax SYNTAX = new CommandSyntax("help",
            List.of("Display help information about the specified command."), List.of(), List.of(COMMAND));

    private final CommandFactory commands;

    HelpCommand(CommandFactory commands) {
        this.commands = commands;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        Optional<String> name = arguments.parameter(COMMAND);
        out.print(name.isPresent() ? CommandHelp.format(Vmm.PROGRAM, commands.require(name.get()).syntax())
                : mainHelp());
        return ExitCodes.SUCCESS;
    }

    /**
     * Returns the help of {@code vmm} itself: usage, options, commands and exit codes.
     *
     * @return the help
     */
    String mainHelp() {
        List<HelpText.Row> commandRows = new ArrayList<>();
        for (Command command : commands.all()) {
            commandRows.add(new HelpText.Row(command.syntax().name(), command.syntax().summary()));
        }
        List<HelpText.Row> exitCodeRows = new ArrayList<>();
        for (Map.Entry<Integer, String> exitCode : ExitCodes.MEANINGS.entrySet()) {
            exitCodeRows.add(new HelpText.Row(String.format("%3d", exitCode.getKey()), exitCode.getValue()));
        }
        return new HelpText()
                .line("Usage: " + Vmm.PROGRAM + " COMMAND [OPTION]...")
                .line("   or: " + Vmm.PROGRAM + " --help | --version")
                .paragraph(Vmm.DESCRIPTION)
                .blankLine().line("Options:").table(CommandHelp.optionRows(List.of(Option.HELP, Vmm.VERSION)))
                .blankLine().line("Commands:").table(commandRows)
                .blankLine().line("Exit codes:").table(exitCodeRows)
                .blankLine().paragraph("'" + Vmm.PROGRAM + " COMMAND --help' or '" + Vmm.PROGRAM
                        + " help COMMAND' shows the options of a command.")
                .toString();
    }
}
