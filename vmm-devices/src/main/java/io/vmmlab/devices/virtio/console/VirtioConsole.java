package io.vmmlab.devices.virtio.console;

import io.vmmlab.api.device.HostConsole;
import io.vmmlab.devices.virtio.DescriptorChain;
import io.vmmlab.devices.virtio.VirtioDeviceBackend;
import io.vmmlab.devices.virtio.Virtqueue;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A virtio console with a single port (virtio spec §5.3, no VIRTIO_CONSOLE_F_MULTIPORT, no features): queue 0
 * is receiveq(port0), queue 1 transmitq(port0).
 *
 * <p>Transmitted bytes go to the {@link HostConsole} as soon as the driver notifies the transmit queue, at most
 * {@link #MAX_TRANSMIT_TURN} per notification or poll (a request may span several turns: one descriptor chain can
 * name up to 2 GiB, the same guest bytes over and over). Host
 * input moves into receive buffers when the board polls the device and when the driver adds receive buffers;
 * a byte read from the host while no receive buffer is available is held until one is.
 */
public final class VirtioConsole implements VirtioDeviceBackend {
    /** The console device ID (§5.3.1). */
    public static final int DEVICE_ID = 3;
    static final int RECEIVE_QUEUE = 0;
    static final int TRANSMIT_QUEUE = 1;
    /** The most bytes moved into one receive buffer per call, so a flood of input cannot stall a hart. */
    static final int MAX_RECEIVE_CHUNK = 4096;
    /**
     * The most bytes one notification or poll transmits; the rest of the queue, and of a request longer than this,
     * waits for the next poll, between two slices of the harts, where the run's limits are checked (a guest that asks
     * to print gigabytes still can, in turns).
     */
    static final int MAX_TRANSMIT_TURN = 1 << 20;
    private static final int TRANSMIT_CHUNK = 4096;

    private final HostConsole console;
    private final byte[] chunk = new byte[TRANSMIT_CHUNK];
    private int heldInput = -1;
    /** Buffers may still wait in the transmit queue: the last turn stopped at its limit. */
    private boolean transmitBacklog;
    /** The transmit request the last turn stopped in, or null. */
    private DescriptorChain transmitting;
    /** How many of {@link #transmitting}'s bytes went to the console already. */
    private int transmitted;
    /** The transmit queue's {@link Virtqueue#enablings} when {@link #transmitting} was taken from it. */
    private int transmittingEnabling;

    /**
     * Creates the device.
     *
     * @param console where output goes and input comes from
     */
    public VirtioConsole(HostConsole console) {
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return 0;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    /** §5.3.4: cols, rows, max_nr_ports, emerg_wr; meaningful only with features this device does not offer. */
    @Override
    public long readConfig(int offset, int size) {
        return 0;
    }

    @Override
    public void queueNotified(Virtqueue queue) {
        if (queue.index() == TRANSMIT_QUEUE) {
            transmit(queue);
        } else {
            receive(queue);
        }
    }

    @Override
    public void poll(long now, List<Virtqueue> queues) {
        Virtqueue receiveQueue = queues.get(RECEIVE_QUEUE);
        if (receiveQueue.isReady()) {
            receive(receiveQueue);
        }
        Virtqueue transmitQueue = queues.get(TRANSMIT_QUEUE);
        if (transmitBacklog && transmitQueue.isReady()) {
            transmit(transmitQueue);
        }
    }

    @Override
    public void reset() {
        transmitBacklog = false;
        transmitting = null;
    }

    /**
     * Sends requests to the console until the queue is empty or this turn has sent {@link #MAX_TRANSMIT_TURN} bytes;
     * a request the turn stops in is finished by the next one, unless the driver stopped the queue meanwhile. A request
     * writes nothing into its buffers.
     */
    private void transmit(Virtqueue queue) {
        int budget = MAX_TRANSMIT_TURN;
        if (transmitting != null && transmittingEnabling != queue.enablings()) {
            transmitting = null; // the driver stopped the queue since: the request is no longer in its rings
        }
        while (true) {
            if (transmitting == null) {
                transmitting = queue.pop();
                transmitted = 0;
                transmittingEnabling = queue.enablings();
                if (transmitting == null) {
                    transmitBacklog = false;
                    return;
                }
            }
            int length = transmitting.readableLength();
            while (transmitted < length && budget > 0) {
                int count = transmitting.read(transmitted, chunk, 0,
                        Math.min(Math.min(TRANSMIT_CHUNK, length - transmitted), budget));
                for (int i = 0; i < count; i++) {
                    console.write(chunk[i] & 0xff);
                }
                transmitted += count;
                budget -= count;
            }
            if (transmitted < length) {
                transmitBacklog = true;
                return;
            }
            DescriptorChain done = transmitting;
            transmitting = null;
            queue.addUsed(done, 0);
            if (budget == 0) {
                transmitBacklog = true;
                return;
            }
        }
    }

    private void receive(Virtqueue queue) {
        while (true) {
            int first = heldInput >= 0 ? heldInput : console.read();
            heldInput = -1;
            if (first < 0) {
                return;
            }
            DescriptorChain chain = queue.pop();
            if (chain == null) {
                heldInput = first;
                return;
            }
            byte[] data = new byte[Math.min(Math.max(chain.writableLength(), 1), MAX_RECEIVE_CHUNK)];
            data[0] = (byte) first;
            int length = 1;
            while (length < data.length) {
                int next = console.read();
                if (next < 0) {
                    break;
                }
                data[length++] = (byte) next;
            }
            int written = chain.write(0, data, 0, length);
            if (written < length) {
                heldInput = data[written] & 0xff; // A zero-length receive buffer: keep the byte for the next one.
            }
            queue.addUsed(chain, written);
        }
    }
}
