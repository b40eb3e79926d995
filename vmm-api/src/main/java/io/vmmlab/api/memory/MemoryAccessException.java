package io.vmmlab.api.memory;

/**
 * Thrown when an access reaches a physical address that no RAM or device backs, or that a device refuses.
 *
 * <p>A hart turns it into an access-fault trap for the guest; a DMA engine turns it into a device error status.
 * It never escapes to the host as a crash. The exception carries no stack trace, because guests can provoke it
 * at will and it must stay cheap.
 */
public final class MemoryAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;

    /**
     * Creates the exception for a failed access.
     *
     * @param address the physical address that failed
     * @param message what went wrong
     */
    public MemoryAccessException(long address, String message) {
        super(message, null, false, false);
        this.address = address;
    }

    /**
     * Returns the physical address whose access failed.
     *
     * @return the address
     */
    public long address() {
        return address;
    }
}
