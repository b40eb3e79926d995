package io.vmmlab.cli.args;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a command's help from its {@link CommandSyntax}: the usage line, the description, the parameters and
 * every option with its description and default.
 */
public final class CommandHelp {
    private CommandHelp() {
    }

    /**
     * Returns the help of a command.
     *
     * @param program the program's name, such as {@code vmm}
     * @param syntax the command
     * @return the help, lines ended by the platform's line separator
     */
    public static String format(String program, CommandSyntax syntax) {
        StringBuilder usage = new StringBuilder("Usage: ").append(program).append(' ').append(syntax.name())
                .append(" [OPTION]...");
        for (Parameter<?> parameter : syntax.parameters()) {
            usage.append(' ').append(parameter.synopsis());
        }
        HelpText help = new HelpText().paragraph(usage.toString());
        syntax.description().forEach(help::paragraph);
        if (!syntax.parameters().isEmpty()) {
            List<HelpText.Row> rows = new ArrayList<>();
            for (Parameter<?> parameter : syntax.parameters()) {
                rows.add(new HelpText.Row(parameter.synopsis(), parameter.description()));
            }
            help.blankLine().line("Parameters:").table(rows);
        }
        help.blankLine().line("Options:").table(optionRows(syntax.options()));
        return help.toString();
    }

    /**
     * Returns the rows that list options: {@code -q, --quiet} or {@code --mem=SIZE} with the description and the
     * default, long names aligned whether or not there is a short name.
     *
     * @param options the options
     * @return the rows
     */
    public static List<HelpText.Row> optionRows(List<Option<?>> options) {
        List<HelpText.Row> rows = new ArrayList<>();
        for (Option<?> option : options) {
            String synopsis = option.shortName().isPresent() ? option.synopsis() : "    " + option.synopsis();
            rows.add(new HelpText.Row(synopsis, option.helpDescription()));
        }
        return rows;
    }
}
