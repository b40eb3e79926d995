package io.vmmlab.devices;

import io.vmmlab.api.device.DeviceSpec;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * A device spec's options, checked against what a provider understands.
 *
 * <p>Every problem becomes an {@link IllegalArgumentException} with a one-line message that starts with the
 * provider's name, such as {@code "virtio-blk: option 'readonly' must be true or false, not 'yes'"}.
 */
public final class DeviceOptions {
    private final String kind;
    private final Map<String, String> options;

    private DeviceOptions(String kind, Map<String, String> options) {
        this.kind = kind;
        this.options = options;
    }

    /**
     * Checks a spec's options against the known names.
     *
     * @param kind the provider name, used as the message prefix
     * @param spec the user's request
     * @param known the option names the provider understands
     * @return the checked options
     * @throws IllegalArgumentException when an option is unknown
     */
    public static DeviceOptions of(String kind, DeviceSpec spec, Set<String> known) {
        requireNonNull(kind, "kind is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(known, "known is null");
        for (String name : new TreeSet<>(spec.options().keySet())) {
            if (!known.contains(name)) {
                String knownList = known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known));
                throw new IllegalArgumentException(
                        String.format("%s: unknown option '%s' (known: %s)", kind, name, knownList));
            }
        }
        return new DeviceOptions(kind, spec.options());
    }

    /**
     * Returns an option's value, if given.
     *
     * @param name the option
     * @return the value
     */
    public Optional<String> string(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /**
     * Returns a mandatory option's value.
     *
     * @param name the option
     * @return the value, never blank
     * @throws IllegalArgumentException when it is missing or blank
     */
    public String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(String.format("%s: option '%s' is required", kind, name));
        }
        return value;
    }

    /**
     * Returns a boolean option, {@code "true"} or {@code "false"} (any case).
     *
     * @param name the option
     * @param defaultValue the value when the option is absent
     * @return the value
     * @throws IllegalArgumentException when the value is neither true nor false
     */
    public boolean bool(String name, boolean defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                String.format("%s: option '%s' must be true or false, not '%s'", kind, name, value));
    }

    /**
     * Returns a signed 64-bit integer option, decimal or {@code 0x} hexadecimal.
     *
     * @param name the option
     * @return the value, empty when absent
     * @throws IllegalArgumentException when the value is not an integer
     */
    public OptionalLong integer(String name) {
        String value = options.get(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            String trimmed = value.trim();
            if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
                return OptionalLong.of(Long.parseUnsignedLong(trimmed.substring(2), 16));
            }
            return OptionalLong.of(Long.parseLong(trimmed));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    String.format("%s: option '%s' must be an integer, not '%s'", kind, name, value), e);
        }
    }

    /**
     * Fails unless the board gave the device an interrupt source.
     *
     * @param interruptNumber the number from the device context
     * @return the number
     * @throws IllegalArgumentException when it is 0 or negative
     */
    public int requireInterrupt(int interruptNumber) {
        if (interruptNumber <= 0) {
            throw new IllegalArgumentException(kind + ": needs an interrupt source, but the board gave none");
        }
        return interruptNumber;
    }
}
