package io.vmmlab.api.memory;

/**
 * A half-open range {@code [base, base + size)} of physical addresses.
 *
 * <p>Used on configuration and control paths (memory maps, device placement); hot paths use plain {@code long}
 * addresses instead.
 *
 * @param base first address of the range
 * @param size number of bytes, greater than zero
 */
public record AddressRange(long base, long size) {

    /** Validates that the range is non-empty and does not wrap around the 64-bit address space. */
    public AddressRange {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (Long.compareUnsigned(base + size - 1, base) < 0) {
            throw new IllegalArgumentException(String.format("range 0x%x+0x%x wraps around", base, size));
        }
    }

    /**
     * Returns the first address past the range.
     *
     * @return {@code base + size}
     */
    public long end() {
        return base + size;
    }

    /**
     * Tells whether {@code length} bytes at {@code address} lie entirely inside this range.
     *
     * @param address first byte
     * @param length number of bytes, at least 1
     * @return true when the whole access is inside
     */
    public boolean contains(long address, long length) {
        long offset = address - base;
        return Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(length, size - offset) <= 0;
    }

    /**
     * Tells whether two ranges share at least one address.
     *
     * @param other the other range
     * @return true when they overlap
     */
    public boolean overlaps(AddressRange other) {
        return Long.compareUnsigned(base, other.end() - 1) <= 0 && Long.compareUnsigned(other.base, end() - 1) <= 0;
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x)", base, end());
    }
}
