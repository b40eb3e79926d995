package io.vmmlab.cli.args;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One option of a command, declared in code: its names, whether it takes a value and of which type, the label of
 * that value, its description, its default and whether it may be given more than once. An option is immutable;
 * the {@code with...} methods return a changed copy. Commands keep their options in constants and read the parsed
 * values with {@link ParsedArguments#value(Option)}.
 *
 * <p>Defaults are written as on the command line ({@code withDefault("256M")}, {@code withDefault("1")}) and
 * converted by the option's type when declared, so help shows them as a user would type them.
 *
 * @param <T> the type of the option's values
 */
public final class Option<T> {
    private static final Pattern LONG_NAME = Pattern.compile("--[a-z0-9][a-z0-9-]*");
    private static final Pattern SHORT_NAME = Pattern.compile("-[a-zA-Z]");

    /** {@code -h, --help}: every command has it; it shows the command's help. (After the patterns it needs.) */
    public static final Option<Boolean> HELP = flag("--help", "Show this help message and exit.").withShortName("-h");

    private final String name;
    private final String shortName;
    private final String label;
    private final String description;
    private final ValueType<T> type;
    private final boolean negatable;
    private final boolean repeatable;
    private final String separator;
    private final String defaultText;
    private final boolean defaultShown;
    private final List<T> defaults;
    private final List<String> names;

    private Option(String name, String shortName, String label, String description, ValueType<T> type,
                   boolean negatable, boolean repeatable, String separator, String defaultText,
                   boolean defaultShown) {
        this.name = name;
        this.shortName = shortName;
        this.label = label;
        this.description = description;
        this.type = type;
        this.negatable = negatable;
        this.repeatable = repeatable;
        this.separator = separator;
        this.defaultText = defaultText;
        this.defaultShown = defaultShown;
        this.defaults = defaultText == null ? List.of() : convert(defaultText);
        List<String> allNames = new ArrayList<>(3);
        if (shortName != null) {
            allNames.add(shortName);
        }
        allNames.add(name);
        if (negatable) {
            allNames.add(negativeName());
        }
        this.names = List.copyOf(allNames);
    }

    /**
     * Declares a flag: an option without a value, false unless given ({@code --quiet}; {@code --quiet=false} is
     * accepted too).
     *
     * @param name the long name, such as {@code --quiet}
     * @param description one or more sentences
     * @return the option
     */
    public static Option<Boolean> flag(String name, String description) {
        return new Option<>(checkedLongName(name), null, null, checkedDescription(description), ValueType.BOOLEAN,
                false, false, null, "false", false);
    }

    /**
     * Declares a flag that also has a negative form: {@code --deterministic} and {@code --no-deterministic}.
     *
     * @param name the long name, such as {@code --deterministic}
     * @param description one or more sentences
     * @return the option
     */
    public static Option<Boolean> negatableFlag(String name, String description) {
        return new Option<>(checkedLongName(name), null, null, checkedDescription(description), ValueType.BOOLEAN,
                true, false, null, "false", false);
    }

    /**
     * Declares an option that takes a value: {@code --mem 128M} or {@code --mem=128M}.
     *
     * @param name the long name, such as {@code --mem}
     * @param label what the value is, as help shows it: {@code SIZE} in {@code --mem=SIZE}
     * @param type how the value is read
     * @param description one or more sentences
     * @param <T> the type of the value
     * @return the option
     */
    public static <T> Option<T> of(String name, String label, ValueType<T> type, String description) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("option " + name + " needs a value label");
        }
        return new Option<>(checkedLongName(name), null, label, checkedDescription(description),
                Objects.requireNonNull(type, "type is null"), false, false, null, null, false);
    }

    /**
     * Returns this option with a one-letter name as well, such as {@code -q} for {@code --quiet}.
     *
     * @param shortName the short name
     * @return the changed copy
     */
    public Option<T> withShortName(String shortName) {
        if (shortName == null || !SHORT_NAME.matcher(shortName).matches()) {
            throw new IllegalArgumentException("bad short option name '" + shortName + "' for " + name);
        }
        return new Option<>(name, shortName, label, description, type, negatable, repeatable, separator, defaultText,
                defaultShown);
    }

    /**
     * Returns this option allowed more than once; {@link ParsedArguments#values(Option)} gives every value.
     *
     * @return the changed copy
     */
    public Option<T> repeatable() {
        requireValue("repeatable");
        return new Option<>(name, shortName, label, description, type, negatable, true, separator, defaultText,
                defaultShown);
    }

    /**
     * Returns this option repeatable, with each value a list split at the separator:
     * {@code --strategies native,paravirt}.
     *
     * @param separator the separator, such as {@code ","}
     * @return the changed copy
     */
    public Option<T> separatedBy(String separator) {
        requireValue("separated");
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("empty separator for " + name);
        }
        return new Option<>(name, shortName, label, description, type, negatable, true, separator, defaultText,
                defaultShown);
    }

    /**
     * Returns this option with a default, which help appends to the description ({@code "; default 256M."}).
     * An empty default is not shown.
     *
     * @param text the default as it would be typed; a list is written with the separator
     * @return the changed copy
     * @throws IllegalArgumentException when the option's type cannot read the text
     */
    public Option<T> withDefault(String text) {
        return new Option<>(name, shortName, label, description, type, negatable, repeatable, separator,
                Objects.requireNonNull(text, "text is null"), true);
    }

    /**
     * Returns this option with a default that help does not append, because the description already says it
     * (such as {@code "0 for no limit"}).
     *
     * @param text the default as it would be typed; a list is written with the separator
     * @return the changed copy
     * @throws IllegalArgumentException when the option's type cannot read the text
     */
    public Option<T> withDefaultInDescription(String text) {
        return new Option<>(name, shortName, label, description, type, negatable, repeatable, separator,
                Objects.requireNonNull(text, "text is null"), false);
    }

    /**
     * Returns the long name, such as {@code --mem}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the one-letter name, such as {@code -q}, if there is one.
     *
     * @return the short name
     */
    public Optional<String> shortName() {
        return Optional.ofNullable(shortName);
    }

    /**
     * Returns every name the option is given by: the short name, the long name and, for a negatable flag, the
     * negative form.
     *
     * @return the names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Returns the negative form of a negatable flag: {@code --no-deterministic}.
     *
     * @return the name
     */
    String negativeName() {
        return "--no-" + name.substring(2);
    }

    /**
     * Returns whether the option takes a value, as opposed to a flag.
     *
     * @return true when it takes a value
     */
    public boolean takesValue() {
        return label != null;
    }

    boolean isNegatable() {
        return negatable;
    }

    boolean isRepeatable() {
        return repeatable;
    }

    String label() {
        return label;
    }

    ValueType<T> type() {
        return type;
    }

    List<T> defaults() {
        return defaults;
    }

    /**
     * Returns the option as help lists it: {@code -q, --quiet}, {@code --mem=SIZE}, {@code --[no-]deterministic},
     * {@code --strategies=NAME[,NAME...]}.
     *
     * @return the synopsis
     */
    public String synopsis() {
        String longForm = negatable ? "--[no-]" + name.substring(2) : name;
        if (takesValue()) {
            longForm += "=" + label + (separator == null ? "" : "[" + separator + label + "...]");
        }
        return shortName == null ? longForm : shortName + ", " + longForm;
    }

    /**
     * Returns the description as help shows it: with {@code "; default X."} in place of its final full stop when
     * the default is to be shown.
     *
     * @return the description
     */
    String helpDescription() {
        if (!defaultShown || defaultText.isEmpty()) {
            return description;
        }
        String sentence = description.endsWith(".") ? description.substring(0, description.length() - 1)
                : description;
        return sentence + "; default " + defaultText + ".";
    }

    /**
     * Splits the text of one occurrence into the texts of its values: itself, or its parts for an option with a
     * separator ({@code "native,paravirt"}).
     *
     * @param text the text
     * @return the texts of the values
     */
    List<String> split(String text) {
        return separator == null ? List.of(text) : List.of(text.split(Pattern.quote(separator), -1));
    }

    private List<T> convert(String text) {
        List<T> values = new ArrayList<>();
        for (String part : split(text)) {
            values.add(type.convert(part));
        }
        return List.copyOf(values);
    }

    private void requireValue(String what) {
        if (!takesValue()) {
            throw new IllegalArgumentException("flag " + name + " cannot be " + what);
        }
    }

    private static String checkedLongName(String name) {
        if (name == null || !LONG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad long option name '" + name + "': use --lower-case-words");
        }
        return name;
    }

    private static String checkedDescription(String description) {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("an option needs a description");
        }
        return description;
    }

    @Override
    public String toString() {
        return synopsis();
    }
}
