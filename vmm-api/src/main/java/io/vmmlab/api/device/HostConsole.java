package io.vmmlab.api.device;

/**
 * The host side of the guest's console: where a UART or a virtio console sends bytes and finds input.
 * Implementations never block the calling hart thread.
 */
public interface HostConsole {

    /**
     * Sends one byte the guest wrote to the user.
     *
     * @param value the byte, in the low 8 bits
     */
    void write(int value);

    /**
     * Takes one byte the user typed, if any.
     *
     * @return the byte (0 to 255), or -1 when no input is waiting
     */
    int read();

    /**
     * Registers what to call when input arrives (or the user asks to quit), so that a machine whose harts all wait
     * looks at once rather than at its next timer deadline. A console fed by a host thread calls it from there after
     * the input is readable; the default, for consoles that never receive input between polls, ignores it.
     *
     * @param listener what to call, from any thread
     */
    default void onInput(Runnable listener) {
    }
}
