package io.vmmlab.api.sbi;

/**
 * A hart's state as the SBI Hart State Management extension reports it (SBI spec v2.0, section 9.1).
 */
public enum HartStatus {
    /** Running. */
    STARTED(0),
    /** Not running; may be started with {@code sbi_hart_start}. */
    STOPPED(1),
    /** A start was requested and is in progress. */
    START_PENDING(2),
    /** A stop was requested and is in progress. */
    STOP_PENDING(3),
    /** Suspended. */
    SUSPENDED(4);

    private final int code;

    HartStatus(int code) {
        this.code = code;
    }

    /**
     * Returns the value {@code sbi_hart_get_status} returns.
     *
     * @return the code
     */
    public int code() {
        return code;
    }
}
