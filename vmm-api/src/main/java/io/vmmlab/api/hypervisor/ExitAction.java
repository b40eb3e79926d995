package io.vmmlab.api.hypervisor;

/**
 * What the run loop does after a hypervisor handled a hart's exit.
 */
public enum ExitAction {
    /** Run the hart again. */
    RESUME,
    /** The hart waits for an interrupt: run other harts or advance time until one is pending. */
    WAIT_FOR_INTERRUPT,
    /** Stop the machine; {@link Machine#outcome()} says why. */
    STOP
}
