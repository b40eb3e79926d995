package io.vmmlab.runtime.compare;

import java.util.Objects;
import java.util.Optional;

/**
 * A strategy as a column of a comparison: its name and, optionally, one of its techniques
 * ({@code fullvirt/trap}, {@code fullvirt/bt}, {@code paravirt}).
 *
 * @param strategy the strategy's name
 * @param technique the technique, or empty for the strategy's default
 */
public record StrategyVariant(String strategy, Optional<String> technique) {

    /** Checks the names are not blank. */
    public StrategyVariant {
        Objects.requireNonNull(strategy, "strategy is null");
        Objects.requireNonNull(technique, "technique is null");
        if (strategy.isBlank() || technique.map(String::isBlank).orElse(false)) {
            throw new IllegalArgumentException("empty strategy or technique name");
        }
    }

    /**
     * Reads {@code NAME} or {@code NAME/TECHNIQUE}.
     *
     * @param text the text
     * @return the variant
     * @throws IllegalArgumentException when a part is empty, or the text holds a control character
     */
    public static StrategyVariant parse(String text) {
        // A label goes to the terminal and into the saved JSON as it is.
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a strategy label holds a control character: '" + escaped(text) + "'");
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty strategy name");
            }
            return new StrategyVariant(trimmed, Optional.empty());
        }
        if (slash == 0 || slash == trimmed.length() - 1 || trimmed.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("a strategy is NAME or NAME/TECHNIQUE: '" + text + "'");
        }
        return new StrategyVariant(trimmed.substring(0, slash), Optional.of(trimmed.substring(slash + 1)));
    }

    /**
     * Shows a name in a message: its control characters as {@code \\uXXXX}, so the message stays one harmless line.
     *
     * @param name the name
     * @return the name as shown
     */
    static String escaped(String name) {
        StringBuilder shown = new StringBuilder();
        name.chars().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : Character.toString(c)));
        return shown.toString();
    }

    /**
     * Returns the label used in tables: {@code NAME} or {@code NAME/TECHNIQUE}.
     *
     * @return the label
     */
    public String label() {
        return technique.map(name -> strategy + "/" + name).orElse(strategy);
    }
}
