package io.vmmlab.api.device;

/**
 * Lets a device end or restart the run: the test finisher, a syscon power-off register, a power button.
 * Thread-safe; the run loop stops after the instruction that made the request.
 */
public interface MachineControl {

    /**
     * Powers the machine off.
     *
     * @param code 0 when the guest reports success, otherwise the guest's failure code
     */
    void powerOff(int code);

    /** Asks for a reset (reboot) of the machine. */
    void reset();

    /**
     * Tells a machine whose harts all wait that this device has something for the guest, so that it polls the
     * devices now rather than at the next deadline one of them announced. A device fed by a host thread (a network
     * backend's reader, say) calls this from that thread after queueing what arrived, and its {@code poll} then raises
     * the interrupt. Without the call an idle machine still polls, but only every 100 ms or so.
     * Thread-safe; the default does nothing.
     */
    default void wakeUp() {
    }
}
