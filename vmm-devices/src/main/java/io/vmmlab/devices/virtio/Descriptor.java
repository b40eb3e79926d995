package io.vmmlab.devices.virtio;

/**
 * One buffer of a descriptor chain, as the driver described it (virtio spec §2.7.5, "The Virtqueue Descriptor
 * Table"). The address is not checked: guest memory refuses accesses outside RAM.
 *
 * @param address guest-physical address of the buffer
 * @param length the buffer's length in bytes
 * @param writable true for a device-writable buffer, false for a device-readable one
 */
public record Descriptor(long address, int length, boolean writable) {
}
