package io.vmmlab.cli;

import java.util.Locale;

/**
 * Parses memory sizes such as {@code 256M}, {@code 1G}, {@code 65536K} or a plain byte count.
 */
final class SizeParser {
    private SizeParser() {
    }

    static long parse(String text) {
        String trimmed = text.trim().toUpperCase(Locale.ROOT);
        if (trimmed.endsWith("B")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.endsWith("I")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int shift = 0;
        if (!trimmed.isEmpty()) {
            switch (trimmed.charAt(trimmed.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad size '" + text + "': use a number with K, M or G, such as 256M");
        }
        if (digits.length() > 12) {
            throw new IllegalArgumentException("bad size '" + text + "': out of range");
        }
        long value = Long.parseLong(digits);
        if (value == 0 || value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("bad size '" + text + "': out of range");
        }
        return value << shift;
    }
}
