package io.vmmlab.cli.args;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one command accepts: its name, description, options (in the order help lists them, {@link Option#HELP}
 * last) and positional parameters.
 */
public final class CommandSyntax {
    private final String name;
    private final List<String> description;
    private final List<Option<?>> options;
    private final List<Parameter<?>> parameters;
    private final Map<String, Option<?>> optionsByName = new HashMap<>();

    /**
     * Declares a command; {@link Option#HELP} is added to its options.
     *
     * @param name the command's name, such as {@code run}
     * @param description paragraphs; the first is the one-line summary of the command list
     * @param options the options, in the order help lists them
     * @param parameters the positional parameters, required ones first
     * @throws IllegalArgumentException when two options share a name or an optional parameter precedes a
     *         required one
     */
    public CommandSyntax(String name, List<String> description, List<Option<?>> options,
                         List<Parameter<?>> parameters) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.description = List.copyOf(description);
        if (this.description.isEmpty()) {
            throw new IllegalArgumentException("command " + name + " needs a description");
        }
        List<Option<?>> all = new ArrayList<>(options);
        all.add(Option.HELP);
        this.options = List.copyOf(all);
        this.parameters = List.copyOf(parameters);
        for (Option<?> option : this.options) {
            for (String optionName : option.names()) {
                if (optionsByName.putIfAbsent(optionName, option) != null) {
                    throw new IllegalArgumentException("command " + name + " has two options named " + optionName);
                }
            }
        }
        for (int i = 1; i < this.parameters.size(); i++) {
            if (this.parameters.get(i).isRequired() && !this.parameters.get(i - 1).isRequired()) {
                throw new IllegalArgumentException("command " + name + ": required parameter "
                        + this.parameters.get(i).label() + " after an optional one");
            }
        }
    }

    /**
     * Declares a command with options only.
     *
     * @param name the command's name
     * @param description paragraphs; the first is the one-line summary of the command list
     * @param options the options, in the order help lists them
     * @return the syntax
     */
    public static CommandSyntax of(String name, List<String> description, List<Option<?>> options) {
        return new CommandSyntax(name, description, options, List.of());
    }

    /**
     * Returns the command's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the first paragraph of the description, as the command list shows it.
     *
     * @return the summary
     */
    public String summary() {
        return description.get(0);
    }

    /**
     * Returns the description's paragraphs.
     *
     * @return the paragraphs
     */
    public List<String> description() {
        return description;
    }

    /**
     * Returns the options, {@link Option#HELP} last.
     *
     * @return the options
     */
    public List<Option<?>> options() {
        return options;
    }

    /**
     * Returns the positional parameters.
     *
     * @return the parameters
     */
    public List<Parameter<?>> parameters() {
        return parameters;
    }

    /**
     * Finds the option a name stands for: a short, long or negative name, without any {@code =value}.
     *
     * @param optionName the name as typed
     * @return the option, or empty when the command has none of that name
     */
    Optional<Option<?>> option(String optionName) {
        return Optional.ofNullable(optionsByName.get(optionName));
    }

    /**
     * Returns whether an argument names one of the options, alone or with {@code =value}.
     *
     * @param argument the argument
     * @return true when it is an option of this command
     */
    boolean isOption(String argument) {
        int equals = argument.indexOf('=');
        return optionsByName.containsKey(equals < 0 ? argument : argument.substring(0, equals));
    }

    boolean hasOption(Option<?> option) {
        return options.contains(option);
    }

    @Override
    public String toString() {
        return name;
    }
}
