package io.vmmlab.cli;

import java.time.Duration;

/**
 * The {@code --timeout} value of {@code run} and {@code compare} (and {@code serve}'s {@code --idle-timeout}): seconds
 * of wall time, 0 for no limit.
 */
final class WallTimeLimit {
    private WallTimeLimit() {
    }

    /**
     * Checks and converts the option's value.
     *
     * @param seconds the value given (or the default)
     * @return the limit; zero for none
     * @throws IllegalArgumentException when it is negative or not a number
     */
    static Duration of(double seconds) {
        return of(seconds, "--timeout");
    }

    /**
     * Checks and converts a seconds-of-wall-time option's value (0 for no limit).
     *
     * @param seconds the value given (or the default)
     * @param option the option's name, for the message
     * @return the limit; zero for none
     * @throws IllegalArgumentException when it is negative or not a number
     */
    static Duration of(double seconds, String option) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
