package io.vmmlab.api.hypervisor;

import java.util.Objects;

/**
 * How a run ended, with the process exit code the {@code vmm} command uses for it.
 *
 * @param status the kind of ending
 * @param message a one-line explanation for the user
 */
public record GuestOutcome(Status status, String message) {

    /** Checks nothing is missing. */
    public GuestOutcome {
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(message, "message is null");
    }

    /**
     * The outcome of an SBI system reset (SRST) request: a shutdown powers off, a reboot also stops the machine
     * (VMMLab does not restart guests), and the reason "system failure" makes the run fail.
     *
     * @param type the reset type (0 shutdown, 1 cold reboot, 2 warm reboot)
     * @param reason the reset reason (0 none, 1 system failure)
     * @return how the run ends
     */
    public static GuestOutcome ofSystemReset(long type, long reason) {
        if (reason == 1) {
            return new GuestOutcome(Status.GUEST_FAILED, "guest reported a system failure (SBI SRST)");
        }
        if (type == 0) {
            return new GuestOutcome(Status.POWERED_OFF, "guest powered off (SBI SRST)");
        }
        return new GuestOutcome(Status.REBOOT_REQUESTED, "guest asked for a reboot (SBI SRST); the machine stops "
                + "instead");
    }

    /**
     * The outcome of the legacy (v0.1) {@code sbi_shutdown} call: the machine powers off.
     *
     * @return a clean power-off naming that call
     */
    public static GuestOutcome ofLegacyShutdown() {
        return new GuestOutcome(Status.POWERED_OFF, "guest powered off (legacy SBI shutdown)");
    }

    /**
     * Returns the documented process exit code.
     *
     * @return 0, 1, 3 or 124
     */
    public int exitCode() {
        return status.exitCode();
    }

    /** The kinds of ending. */
    public enum Status {
        /** The guest powered off cleanly or reported success. */
        POWERED_OFF(0),
        /**
         * The guest asked for a reboot or reset; VMMLab does not restart guests, so the machine stops instead, with
         * the exit code of a power-off. Not a clean power-off for a comparison (Linux reboots after a panic).
         */
        REBOOT_REQUESTED(0),
        /** The guest reported a failure (test finisher fail code, failing test number, SBI system failure). */
        GUEST_FAILED(1),
        /** The VMM failed: a bug or an unexpected host error. */
        INTERNAL_ERROR(3),
        /** The instruction limit or the timeout was reached. */
        LIMIT_REACHED(124);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        /**
         * Returns the process exit code of this kind of ending.
         *
         * @return the code
         */
        public int exitCode() {
            return exitCode;
        }
    }
}
