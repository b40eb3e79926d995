package io.vmmlab.cli;

import java.time.Duration;

/**
 * The {@code --timeout} value of {@code run} and {@code compare} (and {@code serve}'s {@code --idle-timeout}): seconds
 * of wall time, 0 for no limit.
 */
final class WallTimeLimit {
    /** The longest limit: far beyond any run, and within what the run loop's nanosecond deadline can hold. */
    static final long MAX_SECONDS = 100L * 366 * 24 * 3600;

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
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(option + " must be a number of seconds");
        }
        if (seconds < 0) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(option + " must be at most " + MAX_SECONDS + " seconds (100 years); 0 "
                    + "for no limit");
        }
        // A limit under a millisecond is a millisecond, not none.
        return Duration.ofMillis(seconds == 0 ? 0 : Math.max(1, (long) (seconds * 1000)));
    }
}
