package io.vmmlab.devices.virtio;

/**
 * Thrown when the driver breaks the virtqueue rules (a descriptor index outside the table, a looping chain, a
 * nested indirect table). The transport answers by setting DEVICE_NEEDS_RESET (virtio spec §2.1.2). Carries no
 * stack trace, since a guest can provoke it at will.
 */
public final class VirtioProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the driver did wrong
     */
    public VirtioProtocolException(String message) {
        super(message, null, false, false);
    }
}
