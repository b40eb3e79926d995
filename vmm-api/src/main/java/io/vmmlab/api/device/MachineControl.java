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
}
