package io.vmmlab.devices.virtio;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.RegisterAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.*;
import static java.util.Objects.requireNonNull;

/**
 * The virtio-mmio version 2 transport (virtio spec §4.2): the register window, feature negotiation, split
 * virtqueue setup, and the device's single interrupt, in front of a {@link VirtioDeviceBackend}.
 *
 * <p>Requests are processed synchronously, on the thread that writes QueueNotify, so runs are deterministic.
 * Control registers take 32-bit aligned accesses only (§4.2.2.2); the configuration space at 0x100 takes any
 * width. The transport offers VIRTIO_F_VERSION_1 and VIRTIO_F_INDIRECT_DESC besides the backend's features and
 * refuses FEATURES_OK for a driver that does not accept VERSION_1 or accepts something not offered (§3.1.1).
 * When the driver breaks the ring rules or points the rings outside guest RAM, the device sets
 * DEVICE_NEEDS_RESET, stops processing, and sends a configuration change notification (§2.1.2).
 */
public final class VirtioMmioTransport implements Device {
    private static final Logger log = LoggerFactory.getLogger(VirtioMmioTransport.class);

    private final String name;
    private final AddressRange range;
    private final int interruptNumber;
    private final InterruptLine interrupt;
    private final VirtioDeviceBackend backend;
    private final MmioAccessCounters counters;
    private final List<Virtqueue> queues;
    private final long offeredFeatures;
    private int deviceFeaturesSelect;
    private int driverFeaturesSelect;
    private long driverFeatures;
    private int queueSelect;
    private int status;
    private int interruptStatus;
    private boolean interruptAsserted;

    /**
     * Creates the transport in its reset state.
     *
     * @param name the instance name
     * @param range the register window
     * @param interruptNumber the PLIC source number, for the device tree
     * @param interrupt the line to the PLIC
     * @param memory guest memory, for the rings and buffers
     * @param backend the device type behind the transport
     * @param counters where accesses are counted
     */
    public VirtioMmioTransport(String name, AddressRange range, int interruptNumber, InterruptLine interrupt,
                               GuestMemory memory, VirtioDeviceBackend backend, MmioAccessCounters counters) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.interruptNumber = interruptNumber;
        this.interrupt = requireNonNull(interrupt, "interrupt is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.counters = requireNonNull(counters, "counters is null");
        requireNonNull(memory, "memory is null");
        List<Virtqueue> created = new ArrayList<>();
        for (int index = 0; index < backend.queueCount(); index++) {
            created.add(new Virtqueue(memory, index, backend.queueMaxSize()));
        }
        this.queues = List.copyOf(created);
        this.offeredFeatures = backend.deviceFeatures() | VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AddressRange range() {
        return range;
    }

    /**
     * Returns the device status register, for tests and reports.
     *
     * @return the status bits (§2.1)
     */
    public synchronized int status() {
        return status;
    }

    @Override
    public synchronized long read(long offset, int size) {
        counters.read();
        if (offset >= CONFIG) {
            return backend.readConfig((int) (offset - CONFIG), size);
        }
        RegisterAccess.requireWidth(range, offset, size, 4);
        Virtqueue queue = selectedQueue();
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION_REGISTER -> VERSION;
            case DEVICE_ID -> backend.deviceId();
            case VENDOR_ID_REGISTER -> VENDOR_ID;
            case DEVICE_FEATURES -> featureWord(offeredFeatures, deviceFeaturesSelect);
            case QUEUE_NUM_MAX -> queue == null ? 0 : queue.maxSize();
            case QUEUE_READY -> queue != null && queue.isReady() ? 1 : 0;
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> status;
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> 0xffff_ffffL; // §4.2.2: no such region.
            case CONFIG_GENERATION -> 0; // The configuration never changes while the device runs.
            default -> 0; // Write-only and reserved registers read as zero.
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        counters.write();
        if (offset >= CONFIG) {
            backend.writeConfig((int) (offset - CONFIG), size, value);
            return;
        }
        RegisterAccess.requireWidth(range, offset, size, 4);
        int word = (int) value;
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSelect = word;
            case DRIVER_FEATURES_SEL -> driverFeaturesSelect = word;
            case DRIVER_FEATURES -> writeDriverFeatures(word);
            case QUEUE_SEL -> queueSelect = word;
            case QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                    QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH -> writeQueueSetup((int) offset, word);
            case QUEUE_READY -> writeQueueReady(word);
            case QUEUE_NOTIFY -> notifyQueue(word & 0xffff);
            case INTERRUPT_ACK -> {
                interruptStatus &= ~word;
                updateInterrupt();
            }
            case STATUS -> writeStatus(word & 0xff);
            default -> {
                // Read-only and reserved registers ignore writes.
            }
        }
    }

    @Override
    public synchronized long poll(long now) {
        if (isLive()) {
            try {
                backend.poll(now, queues);
            } catch (VirtioProtocolException | MemoryAccessException e) {
                needsReset(e);
            }
            deliverNotifications();
        }
        return Long.MAX_VALUE;
    }

    @Override
    public synchronized void reset() {
        resetDevice();
    }

    @Override
    public synchronized void close() {
        backend.close();
    }

    @Override
    public void describe(DeviceTreeWriter tree) {
        tree.beginNode(DeviceTreeNodes.nodeName("virtio_mmio", range));
        DeviceTreeNodes.interrupt(tree, interruptNumber);
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        tree.propertyStrings("compatible", "virtio,mmio");
        tree.endNode();
    }

    private Virtqueue selectedQueue() {
        return queueSelect >= 0 && queueSelect < queues.size() ? queues.get(queueSelect) : null;
    }

    private static long featureWord(long features, int select) {
        return switch (select) {
            case 0 -> features & 0xffff_ffffL;
            case 1 -> features >>> 32;
            default -> 0;
        };
    }

    private void writeDriverFeatures(int word) {
        if ((status & STATUS_FEATURES_OK) != 0) {
            return; // §3.1.1: features are fixed once FEATURES_OK is set.
        }
        long bits = Integer.toUnsignedLong(word);
        if (driverFeaturesSelect == 0) {
            driverFeatures = (driverFeatures & 0xffff_ffff_0000_0000L) | bits;
        } else if (driverFeaturesSelect == 1) {
            driverFeatures = (driverFeatures & 0xffff_ffffL) | (bits << 32);
        }
    }

    private void writeQueueSetup(int register, int word) {
        Virtqueue queue = selectedQueue();
        if (queue == null || queue.isReady()) {
            return; // §4.2.2.2: the driver must not change an enabled queue; ignore it if it does.
        }
        long bits = Integer.toUnsignedLong(word);
        switch (register) {
            case QUEUE_NUM -> queue.setSize(word);
            case QUEUE_DESC_LOW -> queue.setDescriptorArea(low(queue.descriptorArea(), bits));
            case QUEUE_DESC_HIGH -> queue.setDescriptorArea(high(queue.descriptorArea(), bits));
            case QUEUE_DRIVER_LOW -> queue.setDriverArea(low(queue.driverArea(), bits));
            case QUEUE_DRIVER_HIGH -> queue.setDriverArea(high(queue.driverArea(), bits));
            case QUEUE_DEVICE_LOW -> queue.setDeviceArea(low(queue.deviceArea(), bits));
            case QUEUE_DEVICE_HIGH -> queue.setDeviceArea(high(queue.deviceArea(), bits));
            default -> throw new IllegalStateException("not a queue setup register: " + register);
        }
    }

    private static long low(long address, long bits) {
        return (address & 0xffff_ffff_0000_0000L) | bits;
    }

    private static long high(long address, long bits) {
        return (address & 0xffff_ffffL) | (bits << 32);
    }

    private void writeQueueReady(int word) {
        Virtqueue queue = selectedQueue();
        if (queue == null) {
            return;
        }
        try {
            queue.setReady((word & 1) != 0);
        } catch (VirtioProtocolException e) {
            needsReset(e);
        }
    }

    private void notifyQueue(int index) {
        if (index < queues.size() && isLive() && queues.get(index).isReady()) {
            process(queues.get(index));
        }
    }

    private void process(Virtqueue queue) {
        try {
            backend.queueNotified(queue);
        } catch (VirtioProtocolException | MemoryAccessException e) {
            needsReset(e);
        }
        deliverNotifications();
    }

    private void writeStatus(int value) {
        if (value == 0) {
            resetDevice();
            return;
        }
        int requested = value;
        if ((requested & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0 && !featuresAcceptable()) {
            log.debug("{}: refusing driver features 0x{}", name, Long.toHexString(driverFeatures));
            requested &= ~STATUS_FEATURES_OK;
        }
        boolean startsNow = (requested & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0;
        status = (requested & ~STATUS_DEVICE_NEEDS_RESET) | (status & STATUS_DEVICE_NEEDS_RESET);
        if (startsNow && isLive()) {
            // Buffers made available before DRIVER_OK (such as a console's receive buffers) were not processed.
            for (Virtqueue queue : queues) {
                if (queue.isReady() && isLive()) {
                    process(queue);
                }
            }
        }
    }

    private boolean featuresAcceptable() {
        return (driverFeatures & ~offeredFeatures) == 0 && (driverFeatures & VIRTIO_F_VERSION_1) != 0;
    }

    private boolean isLive() {
        return (status & STATUS_DRIVER_OK) != 0 && (status & STATUS_DEVICE_NEEDS_RESET) == 0;
    }

    private void needsReset(RuntimeException cause) {
        log.warn("{}: device needs reset: {}", name, cause.getMessage());
        status |= STATUS_DEVICE_NEEDS_RESET;
        if ((status & STATUS_DRIVER_OK) != 0) {
            interruptStatus |= INTERRUPT_CONFIG_CHANGE;
            updateInterrupt();
        }
    }

    private void deliverNotifications() {
        for (Virtqueue queue : queues) {
            try {
                if (queue.isReady() && queue.takeNotification()) {
                    interruptStatus |= INTERRUPT_USED_BUFFER;
                }
            } catch (MemoryAccessException e) {
                needsReset(e);
            }
        }
        updateInterrupt();
    }

    private void resetDevice() {
        status = 0;
        driverFeatures = 0;
        deviceFeaturesSelect = 0;
        driverFeaturesSelect = 0;
        queueSelect = 0;
        interruptStatus = 0;
        queues.forEach(Virtqueue::reset);
        backend.reset();
        updateInterrupt();
    }

    private void updateInterrupt() {
        boolean asserted = interruptStatus != 0;
        if (asserted != interruptAsserted) {
            interruptAsserted = asserted;
            interrupt.set(asserted);
        }
    }
}
