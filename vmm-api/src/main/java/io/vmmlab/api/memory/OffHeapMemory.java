package io.vmmlab.api.memory;

/**
 * Guest memory held outside the Java heap, at a fixed host address: byte {@code i} of the RAM, the guest physical
 * address {@code range().base() + i}, is at host address {@link #hostAddress()}{@code + i}, little-endian like RISC-V.
 * Execution engines may read and write it there directly ({@link HostUnsafe}) on fast paths whose checks they have
 * already made, as with {@link ArrayBackedMemory}; everything else uses the {@link GuestMemory} methods.
 *
 * <p>The host address stays valid for as long as the object is reachable, so code that keeps the address must also
 * keep the object (the translator puts it in its classes' data).
 */
public interface OffHeapMemory extends GuestMemory {
    /**
     * Returns the host address of the RAM's first byte.
     *
     * @return the address
     */
    long hostAddress();

    /**
     * Returns how many bytes from {@link #hostAddress()} on belong to this memory: at least {@code range().size()};
     * bytes past that are not guest memory (an implementation may reserve more, so that engines which mask their
     * offsets with a power of two minus one stay inside it whatever the offset).
     *
     * @return the reserved length
     */
    long hostLength();
}
