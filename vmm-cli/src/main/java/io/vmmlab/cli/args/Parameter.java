package io.vmmlab.cli.args;

import java.util.Objects;

/**
 * One positional parameter of a command, declared in code: {@code COMMAND} in {@code vmm help COMMAND}.
 * Parameters take one argument each, in the order declared; optional ones come last.
 *
 * @param <T> the type of the value
 */
public final class Parameter<T> {
    private final String label;
    private final String description;
    private final ValueType<T> type;
    private final boolean required;

    private Parameter(String label, String description, ValueType<T> type, boolean required) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a label");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("parameter " + label + " needs a description");
        }
        this.label = label;
        this.description = description;
        this.type = Objects.requireNonNull(type, "type is null");
        this.required = required;
    }

    /**
     * Declares a parameter that must be given.
     *
     * @param label what it is, as help shows it, such as {@code FILE}
     * @param type how it is read
     * @param description one or more sentences
     * @param <T> the type of the value
     * @return the parameter
     */
    public static <T> Parameter<T> required(String label, ValueType<T> type, String description) {
        return new Parameter<>(label, description, type, true);
    }

    /**
     * Declares a parameter that may be left out.
     *
     * @param label what it is, as help shows it, such as {@code COMMAND}
     * @param type how it is read
     * @param description one or more sentences
     * @param <T> the type of the value
     * @return the parameter
     */
    public static <T> Parameter<T> optional(String label, ValueType<T> type, String description) {
        return new Parameter<>(label, description, type, false);
    }

    /**
     * Returns the label, such as {@code COMMAND}.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    boolean isRequired() {
        return required;
    }

    String description() {
        return description;
    }

    ValueType<T> type() {
        return type;
    }

    /**
     * Returns the parameter as the usage line shows it: {@code FILE}, or {@code [COMMAND]} when optional.
     *
     * @return the synopsis
     */
    String synopsis() {
        return required ? label : "[" + label + "]";
    }

    @Override
    public String toString() {
        return synopsis();
    }
}
