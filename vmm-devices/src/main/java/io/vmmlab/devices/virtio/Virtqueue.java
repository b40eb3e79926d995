package io.vmmlab.devices.virtio;

import io.vmmlab.api.memory.GuestMemory;

import java.util.function.ToIntFunction;

import static java.util.Objects.requireNonNull;

/**
 * The device side of one split virtqueue (virtio spec §2.7): where the driver put the descriptor table
 * (Descriptor Area), the available ring (Driver Area) and the used ring (Device Area), and the device's
 * positions in both rings.
 *
 * <p>A device backend takes requests with {@link #pop()} and returns them with {@link #addUsed}. The transport
 * configures the queue from the MMIO registers and asks {@link #takeNotification()} whether the driver wants an
 * interrupt for the buffers used since the last time. Not thread-safe: the transport serializes access.
 */
public final class Virtqueue {
    /** §2.7.6: the driver does not want used buffer notifications. */
    static final int AVAIL_F_NO_INTERRUPT = 1;

    private final GuestMemory memory;
    private final int index;
    private final int maxSize;
    private int size;
    private long descriptorArea;
    private long driverArea;
    private long deviceArea;
    private boolean ready;
    private int nextAvailable;
    private int nextUsed;
    private boolean usedSinceNotification;
    private int enablings;

    /**
     * Creates a queue in its reset state.
     *
     * @param memory guest memory holding the rings
     * @param index the queue's number
     * @param maxSize the largest size the device accepts (QueueSizeMax)
     */
    Virtqueue(GuestMemory memory, int index, int maxSize) {
        this.memory = requireNonNull(memory, "memory is null");
        this.index = index;
        this.maxSize = maxSize;
        reset();
    }

    /**
     * Returns the queue's number.
     *
     * @return the index, 0 for the first queue
     */
    public int index() {
        return index;
    }

    /**
     * Tells whether the driver enabled the queue (QueueReady).
     *
     * @return true when the device may use the rings
     */
    public boolean isReady() {
        return ready;
    }

    /**
     * Takes the next request the driver made available (§2.7.6, "The Virtqueue Available Ring").
     *
     * @return the request, or null when the available ring has nothing new
     * @throws VirtioProtocolException when the driver's ring or chain is malformed
     * @throws io.vmmlab.api.memory.MemoryAccessException when a ring lies outside guest RAM
     */
    public DescriptorChain pop() {
        if (!ready) {
            throw new IllegalStateException("queue " + index + " is not ready");
        }
        int availableIndex = memory.read16(driverArea + 2);
        int outstanding = (availableIndex - nextAvailable) & 0xffff;
        if (outstanding == 0) {
            return null;
        }
        if (outstanding > size) {
            throw new VirtioProtocolException(String.format(
                    "queue %d: available index moved %d entries past a ring of %d", index, outstanding, size));
        }
        int head = memory.read16(driverArea + 4 + 2L * (nextAvailable % size));
        nextAvailable = (nextAvailable + 1) & 0xffff;
        return DescriptorChain.read(memory, descriptorArea, size, head);
    }

    /**
     * Returns a finished request to the driver through the used ring (§2.7.8).
     *
     * @param chain the request
     * @param writtenLength how many bytes the device wrote into the request's writable buffers
     */
    public void addUsed(DescriptorChain chain, int writtenLength) {
        requireNonNull(chain, "chain is null");
        long element = deviceArea + 4 + 8L * (nextUsed % size);
        memory.write32(element, chain.head());
        memory.write32(element + 4, writtenLength);
        nextUsed = (nextUsed + 1) & 0xffff;
        // §2.7.8: the element is written before idx, so the driver never sees an index ahead of its entry.
        memory.write16(deviceArea + 2, nextUsed);
        usedSinceNotification = true;
    }

    /**
     * Serves the available requests in order, each returned through the used ring with the length the handler
     * wrote, until none is left or this turn has taken at least {@code bytesPerTurn} bytes of buffers (a device
     * bounds what one notification makes the host do, and serves the rest at its next poll).
     *
     * @param bytesPerTurn the turn's bound, counted in buffer bytes (readable and writable) of the requests served
     * @param handler handles one request; returns how many bytes it wrote into the request's writable buffers
     * @return true when the turn stopped at its bound (requests may still wait), false when none is left
     */
    public boolean serve(long bytesPerTurn, ToIntFunction<DescriptorChain> handler) {
        long taken = 0;
        for (DescriptorChain chain = pop(); chain != null; chain = pop()) {
            addUsed(chain, handler.applyAsInt(chain));
            taken += (long) chain.readableLength() + chain.writableLength();
            if (taken >= bytesPerTurn) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether buffers were used since the last call and the driver did not suppress notifications
     * (VIRTQ_AVAIL_F_NO_INTERRUPT, §2.7.7), and forgets those buffers.
     *
     * @return true when the device should send a used buffer notification
     */
    boolean takeNotification() {
        if (!usedSinceNotification) {
            return false;
        }
        usedSinceNotification = false;
        return (memory.read16(driverArea) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    int maxSize() {
        return maxSize;
    }

    int size() {
        return size;
    }

    void setSize(int size) {
        this.size = size;
    }

    long descriptorArea() {
        return descriptorArea;
    }

    void setDescriptorArea(long descriptorArea) {
        this.descriptorArea = descriptorArea;
    }

    long driverArea() {
        return driverArea;
    }

    void setDriverArea(long driverArea) {
        this.driverArea = driverArea;
    }

    long deviceArea() {
        return deviceArea;
    }

    void setDeviceArea(long deviceArea) {
        this.deviceArea = deviceArea;
    }

    /**
     * Enables or disables the queue. Enabling starts both rings at index 0, as the driver zeroed them (§4.2.3.2).
     *
     * @param ready the new state
     * @throws VirtioProtocolException when enabling a queue whose size is not a power of two up to the maximum
     */
    void setReady(boolean ready) {
        if (ready && !this.ready) {
            if (size <= 0 || size > maxSize || Integer.bitCount(size) != 1) {
                throw new VirtioProtocolException(String.format(
                        "queue %d: size %d is not a power of two between 1 and %d", index, size, maxSize));
            }
            nextAvailable = 0;
            nextUsed = 0;
            usedSinceNotification = false;
            enablings++;
        }
        this.ready = ready;
    }

    /**
     * Returns how many times the driver has enabled the queue: a request a device holds across calls belongs to the
     * queue only while this count is the one it was taken at (a stopped and re-enabled queue starts its rings afresh).
     */
    public int enablings() {
        return enablings;
    }

    /** Returns the queue to its reset state (§4.2.2.1: QueueReady reads 0 after a reset). */
    void reset() {
        size = maxSize;
        descriptorArea = 0;
        driverArea = 0;
        deviceArea = 0;
        ready = false;
        nextAvailable = 0;
        nextUsed = 0;
        usedSinceNotification = false;
    }
}
