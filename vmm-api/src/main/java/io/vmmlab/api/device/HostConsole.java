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
}
