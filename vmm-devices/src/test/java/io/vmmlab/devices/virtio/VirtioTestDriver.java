package io.vmmlab.devices.virtio;

import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.devices.DeviceContexts;

import java.util.HashMap;
import java.util.Map;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.*;

/**
 * Test helper that plays the guest driver: negotiates features and sets up split queues through the MMIO
 * registers, writes descriptors and the available ring into guest memory by hand, notifies, and reads the used
 * ring back (virtio spec §3.1.1, §4.2.3.2, §2.7.13).
 */
public final class VirtioTestDriver {
    /** Where the test's data buffers may go: well above the rings. */
    public static final long DATA = DeviceContexts.RAM_BASE + 0x80000;

    private final MmioDevice device;
    private final GuestMemory memory;
    private final Map<Integer, Queue> queues = new HashMap<>();

    public VirtioTestDriver(MmioDevice device, GuestMemory memory) {
        this.device = device;
        this.memory = memory;
    }

    public int register(int offset) {
        return (int) device.read(offset, 4);
    }

    public void setRegister(int offset, long value) {
        device.write(offset, 4, value);
    }

    public long deviceFeatures() {
        setRegister(DEVICE_FEATURES_SEL, 0);
        long low = register(DEVICE_FEATURES) & 0xffff_ffffL;
        setRegister(DEVICE_FEATURES_SEL, 1);
        long high = register(DEVICE_FEATURES) & 0xffff_ffffL;
        return (high << 32) | low;
    }

    /** §3.1.1 steps 1-6; returns the status read back after setting FEATURES_OK. */
    public int negotiate(long features) {
        setRegister(STATUS, 0);
        setRegister(STATUS, STATUS_ACKNOWLEDGE);
        setRegister(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        setRegister(DRIVER_FEATURES_SEL, 0);
        setRegister(DRIVER_FEATURES, features & 0xffff_ffffL);
        setRegister(DRIVER_FEATURES_SEL, 1);
        setRegister(DRIVER_FEATURES, features >>> 32);
        setRegister(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        return register(STATUS);
    }

    /** §4.2.3.2: places queue {@code index} in its own 64 KiB of RAM and enables it. */
    public void setUpQueue(int index, int size) {
        long base = DeviceContexts.RAM_BASE + 0x10000L * (index + 1);
        Queue queue = new Queue(size, base, base + 16L * size, (base + 16L * size + 6 + 2L * size + 3) & ~3L);
        for (long address = base; address < base + 0x10000; address += 8) {
            memory.write64(address, 0);
        }
        setRegister(QUEUE_SEL, index);
        setRegister(QUEUE_NUM, size);
        setRegister(QUEUE_DESC_LOW, queue.descriptors & 0xffff_ffffL);
        setRegister(QUEUE_DESC_HIGH, queue.descriptors >>> 32);
        setRegister(QUEUE_DRIVER_LOW, queue.available & 0xffff_ffffL);
        setRegister(QUEUE_DRIVER_HIGH, queue.available >>> 32);
        setRegister(QUEUE_DEVICE_LOW, queue.used & 0xffff_ffffL);
        setRegister(QUEUE_DEVICE_HIGH, queue.used >>> 32);
        setRegister(QUEUE_READY, 1);
        queues.put(index, queue);
    }

    public void driverOk() {
        setRegister(STATUS, register(STATUS) | STATUS_DRIVER_OK);
    }

    /** Negotiates VERSION_1 plus {@code features}, sets up the queues with 8 entries each, and sets DRIVER_OK. */
    public void start(long features, int queueCount) {
        int status = negotiate(VIRTIO_F_VERSION_1 | features);
        if ((status & STATUS_FEATURES_OK) == 0) {
            throw new AssertionError("device refused features");
        }
        for (int index = 0; index < queueCount; index++) {
            setUpQueue(index, 8);
        }
        driverOk();
    }

    /** Writes a direct chain and makes it available, without notifying; returns its head index. */
    public int offer(int queueIndex, Buffer... buffers) {
        Queue queue = queues.get(queueIndex);
        int head = queue.nextDescriptor;
        for (int i = 0; i < buffers.length; i++) {
            int index = (head + i) % queue.size;
            boolean last = i == buffers.length - 1;
            writeDescriptor(queue.descriptors, index, buffers[i], last ? 0 : DescriptorChain.DESC_F_NEXT,
                    (index + 1) % queue.size);
        }
        queue.nextDescriptor = (head + buffers.length) % queue.size;
        makeAvailable(queue, head);
        return head;
    }

    /** Writes an indirect table at {@code table} and offers one descriptor that refers to it. */
    public int offerIndirect(int queueIndex, long table, Buffer... buffers) {
        Queue queue = queues.get(queueIndex);
        for (int i = 0; i < buffers.length; i++) {
            boolean last = i == buffers.length - 1;
            writeDescriptor(table, i, buffers[i], last ? 0 : DescriptorChain.DESC_F_NEXT, i + 1);
        }
        int head = queue.nextDescriptor;
        memory.write64(queue.descriptors + 16L * head, table);
        memory.write32(queue.descriptors + 16L * head + 8, 16 * buffers.length);
        memory.write16(queue.descriptors + 16L * head + 12, DescriptorChain.DESC_F_INDIRECT);
        memory.write16(queue.descriptors + 16L * head + 14, 0);
        queue.nextDescriptor = (head + 1) % queue.size;
        makeAvailable(queue, head);
        return head;
    }

    /** Offers a chain and notifies the device; returns the head index. */
    public int submit(int queueIndex, Buffer... buffers) {
        int head = offer(queueIndex, buffers);
        notifyQueue(queueIndex);
        return head;
    }

    public void notifyQueue(int queueIndex) {
        setRegister(QUEUE_NOTIFY, queueIndex);
    }

    public void writeRawDescriptor(int queueIndex, int index, long address, int length, int flags, int next) {
        long entry = queues.get(queueIndex).descriptors + 16L * index;
        memory.write64(entry, address);
        memory.write32(entry + 8, length);
        memory.write16(entry + 12, flags);
        memory.write16(entry + 14, next);
    }

    public void makeAvailable(int queueIndex, int head) {
        makeAvailable(queues.get(queueIndex), head);
    }

    public void suppressInterrupts(int queueIndex, boolean suppress) {
        memory.write16(queues.get(queueIndex).available, suppress ? Virtqueue.AVAIL_F_NO_INTERRUPT : 0);
    }

    public int usedIndex(int queueIndex) {
        return memory.read16(queues.get(queueIndex).used + 2);
    }

    public Used used(int queueIndex, int position) {
        Queue queue = queues.get(queueIndex);
        long element = queue.used + 4 + 8L * (position % queue.size);
        return new Used(memory.read32(element), memory.read32(element + 4));
    }

    public void acknowledgeInterrupt() {
        setRegister(INTERRUPT_ACK, register(INTERRUPT_STATUS));
    }

    private void writeDescriptor(long table, int index, Buffer buffer, int flags, int next) {
        long entry = table + 16L * index;
        memory.write64(entry, buffer.address());
        memory.write32(entry + 8, buffer.length());
        memory.write16(entry + 12, flags | (buffer.writable() ? DescriptorChain.DESC_F_WRITE : 0));
        memory.write16(entry + 14, next);
    }

    private void makeAvailable(Queue queue, int head) {
        int index = memory.read16(queue.available + 2);
        memory.write16(queue.available + 4 + 2L * (index % queue.size), head);
        memory.write16(queue.available + 2, (index + 1) & 0xffff);
    }

    /** One buffer the driver hands over. */
    public record Buffer(long address, int length, boolean writable) {
        public static Buffer readable(long address, int length) {
            return new Buffer(address, length, false);
        }

        public static Buffer writable(long address, int length) {
            return new Buffer(address, length, true);
        }
    }

    /** One used-ring element. */
    public record Used(int id, int length) {
    }

    private static final class Queue {
        final int size;
        final long descriptors;
        final long available;
        final long used;
        int nextDescriptor;

        Queue(int size, long descriptors, long available, long used) {
            this.size = size;
            this.descriptors = descriptors;
            this.available = available;
            this.used = used;
        }
    }
}
