package io.vmmlab.devices.virtio;

import io.vmmlab.api.memory.GuestMemory;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One request from the driver: the chain of descriptors that starts at a head index of the available ring,
 * with indirect tables already expanded (virtio spec §2.7.5 and §2.7.5.3, "Indirect Descriptors").
 *
 * <p>The device sees two byte streams: the concatenation of the device-readable buffers and the concatenation
 * of the device-writable buffers; {@link #read} and {@link #write} address them by offset. Accesses outside guest
 * RAM throw {@link io.vmmlab.api.memory.MemoryAccessException}.
 */
public final class DescriptorChain {
    static final int DESC_F_NEXT = 1;
    static final int DESC_F_WRITE = 2;
    static final int DESC_F_INDIRECT = 4;
    static final int DESCRIPTOR_SIZE = 16;
    /** The largest indirect table accepted, the largest split queue size (virtio spec §2.7). */
    static final int MAX_INDIRECT_DESCRIPTORS = 32768;

    private final GuestMemory memory;
    private final int head;
    private final List<Descriptor> readable;
    private final List<Descriptor> writable;
    private final int readableLength;
    private final int writableLength;

    private DescriptorChain(GuestMemory memory, int head, List<Descriptor> readable, List<Descriptor> writable) {
        this.memory = memory;
        this.head = head;
        this.readable = List.copyOf(readable);
        this.writable = List.copyOf(writable);
        this.readableLength = totalLength(readable);
        this.writableLength = totalLength(writable);
    }

    /**
     * Walks a chain from its head in the descriptor table.
     *
     * @param memory guest memory
     * @param table guest-physical address of the descriptor table
     * @param tableSize the queue size, the number of entries in the table
     * @param head the index of the first descriptor
     * @return the chain
     * @throws VirtioProtocolException when the chain is malformed
     */
    static DescriptorChain read(GuestMemory memory, long table, int tableSize, int head) {
        requireNonNull(memory, "memory is null");
        List<Descriptor> readable = new ArrayList<>();
        List<Descriptor> writable = new ArrayList<>();
        long currentTable = table;
        int currentSize = tableSize;
        boolean inIndirect = false;
        int index = head;
        int visited = 0;
        while (true) {
            if (index >= currentSize) {
                throw new VirtioProtocolException(
                        String.format("descriptor index %d outside a table of %d", index, currentSize));
            }
            if (++visited > currentSize) {
                throw new VirtioProtocolException("descriptor chain starting at " + head + " loops");
            }
            long entry = currentTable + (long) DESCRIPTOR_SIZE * index;
            long address = memory.read64(entry);
            int length = memory.read32(entry + 8);
            int flags = memory.read16(entry + 12);
            int next = memory.read16(entry + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                // §2.7.5.3.1: no indirect inside an indirect table, and no NEXT on the descriptor that refers to one.
                if (inIndirect || (flags & DESC_F_NEXT) != 0) {
                    throw new VirtioProtocolException("misplaced indirect descriptor in chain " + head);
                }
                long tableLength = Integer.toUnsignedLong(length);
                if (tableLength == 0 || tableLength % DESCRIPTOR_SIZE != 0
                        || tableLength / DESCRIPTOR_SIZE > MAX_INDIRECT_DESCRIPTORS) {
                    throw new VirtioProtocolException("bad indirect table length " + tableLength);
                }
                currentTable = address;
                currentSize = (int) (tableLength / DESCRIPTOR_SIZE);
                inIndirect = true;
                index = 0;
                visited = 0;
                continue;
            }
            Descriptor descriptor = new Descriptor(address, length, (flags & DESC_F_WRITE) != 0);
            if (descriptor.writable()) {
                writable.add(descriptor);
            } else {
                readable.add(descriptor);
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return new DescriptorChain(memory, head, readable, writable);
            }
            index = next;
        }
    }

    /**
     * Returns the head index, which identifies the request in the used ring.
     *
     * @return the index of the chain's first descriptor
     */
    public int head() {
        return head;
    }

    /**
     * Returns the device-readable buffers in chain order.
     *
     * @return an immutable list
     */
    public List<Descriptor> readableDescriptors() {
        return readable;
    }

    /**
     * Returns the device-writable buffers in chain order.
     *
     * @return an immutable list
     */
    public List<Descriptor> writableDescriptors() {
        return writable;
    }

    /**
     * Returns the total length of the device-readable buffers.
     *
     * @return bytes
     */
    public int readableLength() {
        return readableLength;
    }

    /**
     * Returns the total length of the device-writable buffers.
     *
     * @return bytes
     */
    public int writableLength() {
        return writableLength;
    }

    /**
     * Tells whether every device-readable buffer lies inside guest memory, so that {@link #read} cannot fail part-way.
     *
     * @return true when all of them do
     */
    public boolean readableInMemory() {
        return inMemory(readable);
    }

    /**
     * Tells whether every device-writable buffer lies inside guest memory, so that {@link #write} cannot fail
     * part-way.
     *
     * @return true when all of them do
     */
    public boolean writableInMemory() {
        return inMemory(writable);
    }

    private boolean inMemory(List<Descriptor> buffers) {
        for (Descriptor buffer : buffers) {
            if (buffer.length() != 0 && !memory.range().contains(buffer.address(), buffer.length())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies bytes out of the device-readable buffers.
     *
     * @param offset the first byte, counted across the readable buffers
     * @param destination where to copy
     * @param destinationOffset first index in {@code destination}
     * @param length how many bytes to copy at most
     * @return how many bytes were copied (fewer when the buffers end first)
     */
    public int read(int offset, byte[] destination, int destinationOffset, int length) {
        return transfer(readable, offset, destination, destinationOffset, length, false);
    }

    /**
     * Copies bytes into the device-writable buffers.
     *
     * @param offset the first byte, counted across the writable buffers
     * @param source what to copy
     * @param sourceOffset first index in {@code source}
     * @param length how many bytes to copy at most
     * @return how many bytes were copied (fewer when the buffers end first)
     */
    public int write(int offset, byte[] source, int sourceOffset, int length) {
        return transfer(writable, offset, source, sourceOffset, length, true);
    }

    private int transfer(List<Descriptor> buffers, int offset, byte[] host, int hostOffset, int length,
                         boolean toGuest) {
        int skip = offset;
        int done = 0;
        for (Descriptor buffer : buffers) {
            if (done == length) {
                break;
            }
            if (skip >= buffer.length()) {
                skip -= buffer.length();
                continue;
            }
            int count = Math.min(buffer.length() - skip, length - done);
            if (toGuest) {
                memory.write(buffer.address() + skip, host, hostOffset + done, count);
            } else {
                memory.read(buffer.address() + skip, host, hostOffset + done, count);
            }
            done += count;
            skip = 0;
        }
        return done;
    }

    private static int totalLength(List<Descriptor> descriptors) {
        long total = 0;
        for (Descriptor descriptor : descriptors) {
            if (descriptor.length() < 0) {
                throw new VirtioProtocolException("descriptor longer than 2 GiB");
            }
            total += descriptor.length();
        }
        if (total > Integer.MAX_VALUE) {
            throw new VirtioProtocolException("descriptor chain longer than 2 GiB");
        }
        return (int) total;
    }
}
