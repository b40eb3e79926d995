package io.vmmlab.api.sbi;

import io.vmmlab.api.cpu.Hart;

/**
 * What an SBI call returns: an error code in a0 and a value in a1 (SBI spec v2.0, chapter 3). Legacy extensions
 * return only a0, which carries {@link #error()}.
 *
 * @param error 0 on success or one of the negative error codes
 * @param value the returned value
 */
public record SbiResult(long error, long value) {
    /** Completed successfully. */
    public static final long SUCCESS = 0;
    /** Failed. */
    public static final long ERR_FAILED = -1;
    /** Not supported. */
    public static final long ERR_NOT_SUPPORTED = -2;
    /** Invalid parameter(s). */
    public static final long ERR_INVALID_PARAM = -3;
    /** Denied or not allowed. */
    public static final long ERR_DENIED = -4;
    /** Invalid address(s). */
    public static final long ERR_INVALID_ADDRESS = -5;
    /** Already available. */
    public static final long ERR_ALREADY_AVAILABLE = -6;
    /** Already started. */
    public static final long ERR_ALREADY_STARTED = -7;
    /** Already stopped. */
    public static final long ERR_ALREADY_STOPPED = -8;

    private static final int A0 = 10;

    /**
     * Answers the call a hart made, as firmware returns from it: a0 = {@link #error()}, a1 = {@link #value()} (not for
     * a legacy extension, whose calls leave a1 alone), and the pc past the 4-byte {@code ecall}.
     *
     * @param hart the hart that made the call
     * @param call the call, as {@link SbiCall#of} read it
     */
    public void returnTo(Hart hart, SbiCall call) {
        hart.setRegister(A0, error);
        if (!call.isLegacy()) {
            hart.setRegister(A0 + 1, value);
        }
        hart.setPc(hart.pc() + 4);
    }

    /**
     * A successful result.
     *
     * @param value the value
     * @return the result
     */
    public static SbiResult success(long value) {
        return new SbiResult(SUCCESS, value);
    }

    /**
     * A failed result.
     *
     * @param error the negative error code
     * @return the result
     */
    public static SbiResult error(long error) {
        return new SbiResult(error, 0);
    }
}
