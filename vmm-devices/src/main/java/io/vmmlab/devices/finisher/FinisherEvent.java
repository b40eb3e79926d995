package io.vmmlab.devices.finisher;

import static java.util.Objects.requireNonNull;

/**
 * What the guest asked of the test finisher.
 *
 * @param kind pass, fail or reset
 * @param code the exit code: 0 for a pass or a reset, the guest's code (bits 31:16 of the write) for a failure
 */
public record FinisherEvent(Kind kind, int code) {

    /** Checks the kind is present. */
    public FinisherEvent {
        requireNonNull(kind, "kind is null");
    }

    /** The three requests of the SiFive test device. */
    public enum Kind {
        /** {@code 0x5555}: power off, success. */
        PASS,
        /** {@code 0x3333 | code << 16}: power off, failure with a code. */
        FAIL,
        /** {@code 0x7777}: reset the machine. */
        RESET
    }
}
