package io.vmmlab.cli.args;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one parsed command line, read through the command's own {@link Option} and {@link Parameter}
 * constants. An option that was not given has its default.
 */
public final class ParsedArguments {
    private final CommandSyntax syntax;
    private final boolean helpRequested;
    private final Map<Option<?>, List<Object>> optionValues;
    private final Map<Parameter<?>, Object> parameterValues;

    ParsedArguments(CommandSyntax syntax, boolean helpRequested, Map<Option<?>, List<Object>> optionValues,
                    Map<Parameter<?>, Object> parameterValues) {
        this.syntax = syntax;
        this.helpRequested = helpRequested;
        this.optionValues = Map.copyOf(optionValues);
        this.parameterValues = Map.copyOf(parameterValues);
    }

    /**
     * Returns whether {@code -h} or {@code --help} was given, in which case nothing else was parsed.
     *
     * @return true when help was asked for
     */
    public boolean isHelpRequested() {
        return helpRequested;
    }

    /**
     * Returns whether the option was given on the command line, as opposed to having its default.
     *
     * @param option an option of the command
     * @return true when given
     */
    public boolean isGiven(Option<?> option) {
        return optionValues.containsKey(checked(option));
    }

    /**
     * Returns the value of an option that is given once at most: the one given, or else the default.
     *
     * @param option an option of the command, with a default or a flag
     * @param <T> the type of the value
     * @return the value
     * @throws IllegalStateException when the option is repeatable, or has no default and was not given
     */
    public <T> T value(Option<T> option) {
        return optionalValue(option).orElseThrow(() -> new IllegalStateException("option " + option.name()
                + " has no default: read it with optionalValue"));
    }

    /**
     * Returns the value of an option that is given once at most: the one given, or else the default, or else empty.
     *
     * @param option an option of the command
     * @param <T> the type of the value
     * @return the value, or empty
     * @throws IllegalStateException when the option is repeatable
     */
    public <T> Optional<T> optionalValue(Option<T> option) {
        if (option.isRepeatable()) {
            throw new IllegalStateException("option " + option.name() + " is repeatable: read it with values");
        }
        List<T> values = values(option);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Returns every value of an option in the order given, or else its defaults (an empty list when it has none).
     *
     * @param option an option of the command
     * @param <T> the type of the values
     * @return the values
     */
    public <T> List<T> values(Option<T> option) {
        List<Object> given = optionValues.get(checked(option));
        if (given == null) {
            return option.defaults();
        }
        @SuppressWarnings("unchecked") // the parser stored what the option's own type converted
        List<T> values = (List<T>) (List<?>) given;
        return values;
    }

    /**
     * Returns the value of a positional parameter, or empty when an optional one was left out.
     *
     * @param parameter a parameter of the command
     * @param <T> the type of the value
     * @return the value, or empty
     */
    public <T> Optional<T> parameter(Parameter<T> parameter) {
        if (!syntax.parameters().contains(parameter)) {
            throw new IllegalStateException(parameter.label() + " is not a parameter of '" + syntax.name() + "'");
        }
        @SuppressWarnings("unchecked") // the parser stored what the parameter's own type converted
        T value = (T) parameterValues.get(parameter);
        return Optional.ofNullable(value);
    }

    private Option<?> checked(Option<?> option) {
        if (!syntax.hasOption(option)) {
            throw new IllegalStateException(option.name() + " is not an option of '" + syntax.name() + "'");
        }
        return option;
    }
}
