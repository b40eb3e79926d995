package io.vmmlab.paravirt.hypercall;

/**
 * What a hypercall handler decided: return a0/a1 to the guest past the {@code ecall}, leave the registers as the
 * handler set them (return from trap), wait for an event, or stop the machine.
 *
 * @param kind what the dispatcher does next
 * @param error the a0 value for {@link Kind#RETURN}
 * @param value the a1 value for {@link Kind#RETURN}
 */
public record HypercallOutcome(Kind kind, long error, long value) {
    private static final HypercallOutcome RESUMED = new HypercallOutcome(Kind.RESUMED, 0, 0);
    private static final HypercallOutcome BLOCKED = new HypercallOutcome(Kind.BLOCKED, 0, 0);
    private static final HypercallOutcome STOPPED = new HypercallOutcome(Kind.STOPPED, 0, 0);

    /** The ways a hypercall ends. */
    public enum Kind {
        /** a0 = error, a1 = value, pc past the ecall. */
        RETURN,
        /** The handler set pc and registers itself (return from trap). */
        RESUMED,
        /** Nothing is pending: the ecall runs again once time has passed. */
        BLOCKED,
        /** The machine stops; its outcome is recorded. */
        STOPPED
    }

    /**
     * A successful return.
     *
     * @param value the a1 value
     * @return the outcome
     */
    public static HypercallOutcome ok(long value) {
        return new HypercallOutcome(Kind.RETURN, PvError.OK, value);
    }

    /**
     * A failed return.
     *
     * @param error a negative {@link PvError} code
     * @return the outcome
     */
    public static HypercallOutcome error(long error) {
        return new HypercallOutcome(Kind.RETURN, error, 0);
    }

    /**
     * A return with an error code and a value (a partly applied batch).
     *
     * @param error the a0 value
     * @param value the a1 value
     * @return the outcome
     */
    public static HypercallOutcome of(long error, long value) {
        return new HypercallOutcome(Kind.RETURN, error, value);
    }

    /**
     * The handler already set the registers and pc.
     *
     * @return the outcome
     */
    public static HypercallOutcome resumed() {
        return RESUMED;
    }

    /**
     * The guest blocks until an event is pending.
     *
     * @return the outcome
     */
    public static HypercallOutcome blocked() {
        return BLOCKED;
    }

    /**
     * The machine stops.
     *
     * @return the outcome
     */
    public static HypercallOutcome stopped() {
        return STOPPED;
    }
}
