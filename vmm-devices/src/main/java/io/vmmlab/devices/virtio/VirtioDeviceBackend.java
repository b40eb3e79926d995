package io.vmmlab.devices.virtio;

import java.util.List;

/**
 * The device-type half of a virtio device (block, console, entropy…); {@link VirtioMmioTransport} supplies the
 * other half: registers, feature negotiation, queue setup and interrupts.
 *
 * <p>The transport calls a backend only while the driver has set DRIVER_OK and the device does not need a reset,
 * and only with queues the driver enabled. A backend that finds the driver breaking the rules throws
 * {@link VirtioProtocolException} (or lets a {@link io.vmmlab.api.memory.MemoryAccessException} through); the
 * transport then sets DEVICE_NEEDS_RESET. All calls come with the transport's lock held.
 */
public interface VirtioDeviceBackend extends AutoCloseable {

    /**
     * Returns the virtio device ID (virtio spec §5, "Device Types"), such as 2 for a block device.
     *
     * @return the device ID
     */
    int deviceId();

    /**
     * Returns the device-type feature bits offered to the driver; the transport adds VIRTIO_F_VERSION_1 and
     * VIRTIO_F_INDIRECT_DESC.
     *
     * @return the feature bits
     */
    long deviceFeatures();

    /**
     * Returns how many virtqueues the device has.
     *
     * @return the queue count
     */
    int queueCount();

    /**
     * Returns the largest queue size the device accepts (QueueSizeMax).
     *
     * @return the size, a power of two
     */
    default int queueMaxSize() {
        return 256;
    }

    /**
     * Reads the device-specific configuration space (at offset 0x100 of the MMIO window), little-endian.
     *
     * @param offset offset inside the configuration space
     * @param size access width in bytes
     * @return the value, zero-extended; zero beyond the end of the structure
     */
    long readConfig(int offset, int size);

    /**
     * Handles a write to the configuration space. The default ignores it: no device here has writable fields.
     *
     * @param offset offset inside the configuration space
     * @param size access width in bytes
     * @param value the value
     */
    default void writeConfig(int offset, int size, long value) {
    }

    /**
     * Processes the requests the driver made available in a queue, after a notification (QueueNotify) or when
     * the driver sets DRIVER_OK.
     *
     * @param queue the notified queue, ready
     */
    void queueNotified(Virtqueue queue);

    /**
     * Lets the device act on host input or time, such as moving typed bytes into a receive queue.
     *
     * @param now the platform time
     * @param queues all of the device's queues, by index; use only those that are ready
     */
    default void poll(long now, List<Virtqueue> queues) {
    }

    /** Forgets device state tied to the driver, when the driver resets the device. */
    default void reset() {
    }

    /** Flushes and releases host resources. */
    @Override
    default void close() {
    }
}
