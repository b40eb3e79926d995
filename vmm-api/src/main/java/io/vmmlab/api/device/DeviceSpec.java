package io.vmmlab.api.device;

import java.util.Map;
import java.util.Objects;

/**
 * A user's request for one device, as parsed from the command line or an experiment's code.
 *
 * @param kind the provider name, such as {@code "virtio-blk"}
 * @param options provider-specific options, such as {@code path} and {@code readonly}
 */
public record DeviceSpec(String kind, Map<String, String> options) {

    /** Copies the options so the spec stays immutable. */
    public DeviceSpec {
        Objects.requireNonNull(kind, "kind is null");
        options = Map.copyOf(options);
    }
}
