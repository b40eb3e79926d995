package io.vmmlab.api.device;

/**
 * A device register window on the physical bus.
 *
 * <p>Offsets are relative to the start of the window the device was mapped at. Sizes are 1, 2, 4 or 8 bytes.
 * A device that does not support an access (wrong width, unknown register) throws
 * {@link io.vmmlab.api.memory.MemoryAccessException}, which the hart turns into an access fault; devices that
 * follow "reads as zero, writes ignored" simply return 0. Every MMIO access is an emulated exit under every
 * strategy, so a device never needs to know which strategy runs the guest.
 */
public interface MmioDevice {

    /**
     * Reads a register.
     *
     * @param offset byte offset inside the device window
     * @param size access width in bytes (1, 2, 4 or 8)
     * @return the value, zero-extended to 64 bits
     */
    long read(long offset, int size);

    /**
     * Writes a register.
     *
     * @param offset byte offset inside the device window
     * @param size access width in bytes (1, 2, 4 or 8)
     * @param value the value; only the low {@code size} bytes are meaningful
     */
    void write(long offset, int size, long value);

    /**
     * Writes a register on the host's own behalf: a VMM programming the device for the guest (a virtual timer's
     * deadline in the CLINT), not an access of the guest's. Devices that count accesses leave it out of their counts,
     * so a comparison's {@code mmio} column holds the guest's accesses only. The default is an ordinary
     * {@link #write}.
     *
     * @param offset byte offset inside the device window
     * @param size access width in bytes (1, 2, 4 or 8)
     * @param value the value; only the low {@code size} bytes are meaningful
     */
    default void hostWrite(long offset, int size, long value) {
        write(offset, size, value);
    }
}
