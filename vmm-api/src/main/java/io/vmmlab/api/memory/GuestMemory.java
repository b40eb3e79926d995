package io.vmmlab.api.memory;

/**
 * The RAM that the VMM gave one machine, addressed by (guest-)physical address.
 *
 * <p>All multi-byte accesses are little-endian, as on RISC-V. Accesses need not be aligned. An access that is
 * not entirely inside {@link #range()} throws {@link MemoryAccessException}; it never reaches host memory
 * outside the guest's allocation. Implementations must not allocate per access.
 *
 * <p>Harts use the width-specific methods on their hot paths; devices use them for DMA, together with the bulk
 * copies. Guest memory only <em>accesses</em> RAM: who allocates it and how is the runtime's business.
 */
public interface GuestMemory {

    /**
     * Returns the physical addresses this memory answers to.
     *
     * @return the RAM range
     */
    AddressRange range();

    /**
     * Reads one byte.
     *
     * @param address physical address
     * @return the byte, zero-extended
     */
    int read8(long address);

    /**
     * Reads two bytes, little-endian.
     *
     * @param address physical address
     * @return the value, zero-extended
     */
    int read16(long address);

    /**
     * Reads four bytes, little-endian.
     *
     * @param address physical address
     * @return the value (sign as stored)
     */
    int read32(long address);

    /**
     * Reads eight bytes, little-endian.
     *
     * @param address physical address
     * @return the value
     */
    long read64(long address);

    /**
     * Writes one byte.
     *
     * @param address physical address
     * @param value the low 8 bits are stored
     */
    void write8(long address, int value);

    /**
     * Writes two bytes, little-endian.
     *
     * @param address physical address
     * @param value the low 16 bits are stored
     */
    void write16(long address, int value);

    /**
     * Writes four bytes, little-endian.
     *
     * @param address physical address
     * @param value the value
     */
    void write32(long address, int value);

    /**
     * Writes eight bytes, little-endian.
     *
     * @param address physical address
     * @param value the value
     */
    void write64(long address, long value);

    /**
     * Copies guest memory into a host array.
     *
     * @param address first physical address
     * @param destination host array
     * @param offset first index in {@code destination}
     * @param length number of bytes
     */
    void read(long address, byte[] destination, int offset, int length);

    /**
     * Copies a host array into guest memory.
     *
     * @param address first physical address
     * @param source host array
     * @param offset first index in {@code source}
     * @param length number of bytes
     */
    void write(long address, byte[] source, int offset, int length);

    /**
     * Reads {@code size} bytes (1, 2, 4 or 8), zero-extended, for callers that handle widths generically.
     *
     * @param address physical address
     * @param size access width in bytes
     * @return the value, zero-extended to 64 bits
     */
    default long read(long address, int size) {
        return switch (size) {
            case 1 -> read8(address);
            case 2 -> read16(address);
            case 4 -> read32(address) & 0xffff_ffffL;
            case 8 -> read64(address);
            default -> throw new IllegalArgumentException("access size must be 1, 2, 4 or 8: " + size);
        };
    }

    /**
     * Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value}.
     *
     * @param address physical address
     * @param size access width in bytes
     * @param value the value
     */
    default void write(long address, int size, long value) {
        switch (size) {
            case 1 -> write8(address, (int) value);
            case 2 -> write16(address, (int) value);
            case 4 -> write32(address, (int) value);
            case 8 -> write64(address, value);
            default -> throw new IllegalArgumentException("access size must be 1, 2, 4 or 8: " + size);
        }
    }
}
