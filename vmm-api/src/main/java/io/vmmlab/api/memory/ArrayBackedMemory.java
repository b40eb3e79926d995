package io.vmmlab.api.memory;

/**
 * Guest memory held in one host byte array: byte {@code i} of {@link #array()} is the guest physical address
 * {@code range().base() + i}, little-endian like RISC-V. Execution engines may read and write the array directly
 * on fast paths whose checks they have already made (the translator of {@code vmm-cpu} does so for the RAM pages
 * its software TLB maps, after the hart's own translation and permission checks); everything else uses the
 * {@link GuestMemory} methods. Memory that is not a plain array (a view, a trace, a remote store) simply does
 * not implement this interface, and engines then take the slower general path.
 */
public interface ArrayBackedMemory extends GuestMemory {
    /**
     * Returns the backing array itself (not a copy). Its length is at least {@code range().size()}; bytes past
     * that are not guest memory (an implementation may keep a short tail there, so that engines which mask their
     * indices can have the JIT prove multi-byte accesses in bounds).
     *
     * @return the array
     */
    byte[] array();
}
