package io.vmmlab.api.sbi;

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
