package io.vmmlab.cli.args;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses a command's arguments against its {@link CommandSyntax}, GNU style: {@code --mem 128M} or
 * {@code --mem=128M}; flags alone ({@code -q}, {@code --deterministic}, {@code --no-deterministic}) or with
 * {@code =true}/{@code =false}; positional parameters anywhere; {@code --} ends the options. A value may start with
 * a dash ({@code --timeout -1}) unless it is one of the command's options. Short flags cannot be bundled
 * ({@code -qh}).
 *
 * <p>{@code -h} or {@code --help} anywhere before {@code --} asks for help: nothing else is parsed then, so help
 * is shown even when the rest of the line is wrong.
 */
public final class ArgumentParser {
    private static final String END_OF_OPTIONS = "--";

    private final CommandSyntax syntax;
    private final Map<Option<?>, List<Object>> optionValues = new LinkedHashMap<>();
    private final Map<Parameter<?>, Object> parameterValues = new HashMap<>();

    private ArgumentParser(CommandSyntax syntax) {
        this.syntax = Objects.requireNonNull(syntax, "syntax is null");
    }

    /**
     * Parses the arguments that follow the command's name.
     *
     * @param syntax what the command accepts
     * @param arguments the arguments
     * @return the values
     * @throws UsageException when the arguments do not fit the syntax; its message is one line
     */
    public static ParsedArguments parse(CommandSyntax syntax, List<String> arguments) {
        if (helpRequested(arguments)) {
            return new ParsedArguments(syntax, true, Map.of(), Map.of());
        }
        return new ArgumentParser(syntax).parse(arguments);
    }

    private static boolean helpRequested(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.equals(END_OF_OPTIONS)) {
                return false;
            }
            if (Option.HELP.names().contains(argument)) {
                return true;
            }
            int equals = argument.indexOf('=');
            if (equals > 0 && Option.HELP.names().contains(argument.substring(0, equals))
                    && argument.substring(equals + 1).equalsIgnoreCase("true")) {
                return true; // --help=false asks for nothing; any other value is refused by the parse that follows
            }
        }
        return false;
    }

    private ParsedArguments parse(List<String> arguments) {
        boolean optionsEnded = false;
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            if (!optionsEnded && argument.equals(END_OF_OPTIONS)) {
                optionsEnded = true;
            } else if (!optionsEnded && isOptionLike(argument)) {
                index = option(arguments, index);
            } else {
                parameter(argument);
            }
        }
        for (Parameter<?> parameter : syntax.parameters()) {
            if (parameter.isRequired() && !parameterValues.containsKey(parameter)) {
                throw new UsageException("Missing required parameter: '" + parameter.label() + "'");
            }
        }
        Map<Option<?>, List<Object>> values = new LinkedHashMap<>();
        optionValues.forEach((option, list) -> values.put(option, List.copyOf(list)));
        return new ParsedArguments(syntax, false, values, parameterValues);
    }

    /** A lone "-" is an argument (standard input, by convention), not an option. */
    private static boolean isOptionLike(String argument) {
        return argument.startsWith("-") && argument.length() > 1;
    }

    /** Reads the option at {@code index} and its value; returns the index of the last argument it used. */
    private int option(List<String> arguments, int index) {
        String argument = arguments.get(index);
        int equals = argument.indexOf('=');
        String name = equals < 0 ? argument : argument.substring(0, equals);
        Option<?> option = syntax.option(name)
                .orElseThrow(() -> new UsageException("Unknown option: '" + argument + "'"));
        if (optionValues.containsKey(option) && !option.isRepeatable()) {
            throw new UsageException("option '" + option.name() + "' should be specified only once");
        }
        if (!option.takesValue()) {
            boolean given = equals < 0 || (Boolean) convert(option, name, argument.substring(equals + 1)).get(0);
            boolean negated = name.equals(option.negativeName());
            record(option, List.<Object>of(given != negated));
            return index;
        }
        if (equals >= 0) {
            record(option, convert(option, name, argument.substring(equals + 1)));
            return index;
        }
        if (index + 1 == arguments.size()) {
            throw new UsageException("Missing required parameter for option '" + name + "' (" + option.label() + ")");
        }
        String value = arguments.get(index + 1);
        if (value.equals(END_OF_OPTIONS) || syntax.isOption(value)) {
            throw new UsageException("Expected parameter for option '" + name + "' but found '" + value + "'");
        }
        record(option, convert(option, name, value));
        return index + 1;
    }

    private static List<Object> convert(Option<?> option, String name, String text) {
        List<Object> values = new ArrayList<>();
        for (String part : option.split(text)) {
            try {
                values.add(option.type().convert(part));
            } catch (IllegalArgumentException e) {
                throw new UsageException("Invalid value for option '" + name + "': '" + part + "' is not "
                        + option.type().noun());
            }
        }
        return values;
    }

    private void record(Option<?> option, List<Object> values) {
        optionValues.computeIfAbsent(option, key -> new ArrayList<>()).addAll(values);
    }

    private void parameter(String argument) {
        int position = parameterValues.size();
        if (position == syntax.parameters().size()) {
            throw new UsageException("Unexpected argument: '" + argument + "'");
        }
        Parameter<?> parameter = syntax.parameters().get(position);
        try {
            parameterValues.put(parameter, parameter.type().convert(argument));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value for parameter " + parameter.label() + ": '" + argument
                    + "' is not " + parameter.type().noun());
        }
    }
}
