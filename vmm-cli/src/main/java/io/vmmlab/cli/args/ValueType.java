package io.vmmlab.cli.args;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the text of an option or parameter becomes a typed value, and what such a value is called in an error
 * message ({@code 'x' is not an int}).
 *
 * @param <T> the type of the values
 */
public final class ValueType<T> {
    /** Text as given. */
    public static final ValueType<String> STRING = new ValueType<>("a string", text -> text);
    /** A decimal {@code int}. */
    public static final ValueType<Integer> INT = new ValueType<>("an int", Integer::valueOf);
    /** A decimal {@code long}. */
    public static final ValueType<Long> LONG = new ValueType<>("a long", Long::valueOf);
    /** A {@code double} as {@link Double#valueOf(String)} reads it. */
    public static final ValueType<Double> DOUBLE = new ValueType<>("a double", Double::valueOf);
    /** {@code true} or {@code false}, in any case. */
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("a boolean", ValueType::parseBoolean);
    /** A file system path. */
    public static final ValueType<Path> PATH = new ValueType<>("a path", ValueType::parsePath);
    /**
     * A file the command writes: a path that does not end with {@code /}, which would name a directory (the path
     * itself drops the slash, and the file would be made beside it under the directory's name).
     */
    public static final ValueType<Path> OUTPUT_FILE = new ValueType<>("a file name (a path that does not end with /)",
            ValueType::parseOutputFile);

    private final String noun;
    private final Function<String, T> converter;

    private ValueType(String noun, Function<String, T> converter) {
        this.noun = noun;
        this.converter = converter;
    }

    /**
     * Returns a value type of the caller's own.
     *
     * @param noun what a value is called after "is not", such as {@code "a size"}
     * @param converter turns text into a value; throws {@link IllegalArgumentException} for bad text
     * @param <T> the type of the values
     * @return the value type
     */
    public static <T> ValueType<T> of(String noun, Function<String, T> converter) {
        return new ValueType<>(Objects.requireNonNull(noun, "noun is null"),
                Objects.requireNonNull(converter, "converter is null"));
    }

    /**
     * Returns what a value is called in error messages, with its article: {@code "an int"}.
     *
     * @return the noun
     */
    public String noun() {
        return noun;
    }

    /**
     * Converts text to a value.
     *
     * @param text the text
     * @return the value, never null
     * @throws IllegalArgumentException when the text is not such a value
     */
    public T convert(String text) {
        T value = converter.apply(text);
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        return value;
    }

    private static Path parsePath(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        return Path.of(text);
    }

    private static Path parseOutputFile(String text) {
        if (text.endsWith("/")) {
            throw new IllegalArgumentException("ends with /, which names a directory");
        }
        return parsePath(text);
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }
}
