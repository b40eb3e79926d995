package io.vmmlab.api.device;

/**
 * A level-triggered interrupt wire from a device to an interrupt controller (or from a controller to a hart).
 *
 * <p>Implementations are thread-safe: a device on an I/O thread may change the level while harts run.
 */
public interface InterruptLine {

    /**
     * Drives the line to the given level.
     *
     * @param asserted true to assert the interrupt, false to deassert it
     */
    void set(boolean asserted);

    /** Asserts the line. */
    default void raise() {
        set(true);
    }

    /** Deasserts the line. */
    default void lower() {
        set(false);
    }
}
