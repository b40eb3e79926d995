package io.vmmlab.devices.virtio.blk;

import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.devices.virtio.DescriptorChain;
import io.vmmlab.devices.virtio.VirtioConfigSpace;
import io.vmmlab.devices.virtio.VirtioDeviceBackend;
import io.vmmlab.devices.virtio.VirtioProtocolException;
import io.vmmlab.devices.virtio.Virtqueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A virtio block device (virtio spec §5.2) on a raw {@link DiskImage}, with one request queue.
 *
 * <p>Requests: VIRTIO_BLK_T_IN, OUT, FLUSH and GET_ID; others get VIRTIO_BLK_S_UNSUPP. Features offered:
 * VIRTIO_BLK_F_SIZE_MAX, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_FLUSH, and VIRTIO_BLK_F_RO for a read-only image, whose writes fail with
 * VIRTIO_BLK_S_IOERR (§5.2.6.1). A request whose data lies outside the capacity, is not a whole number of
 * sectors, or whose buffers lie outside guest RAM fails with VIRTIO_BLK_S_IOERR; a request whose status byte
 * cannot be written breaks the queue (the transport sets DEVICE_NEEDS_RESET).
 *
 * <p>What one guest store can make the host do is bounded: data moves through a small buffer, a request of more than
 * {@link #MAX_REQUEST_BYTES} fails with VIRTIO_BLK_S_IOERR (a driver that keeps to the advertised
 * {@code size_max} and {@code seg_max} never sends one), and once a notification has moved about that much the rest of the queue waits for the
 * next poll of the devices, between two slices of the harts, where the run's limits (--timeout) are checked.
 */
public final class VirtioBlk implements VirtioDeviceBackend {
    private static final Logger log = LoggerFactory.getLogger(VirtioBlk.class);

    /** The block device ID (§5.2.1). */
    public static final int DEVICE_ID = 2;
    /** §5.2.3: maximum size of any single segment is in {@code size_max}. */
    public static final long VIRTIO_BLK_F_SIZE_MAX = 1L << 1;
    /** §5.2.3: maximum number of segments in a request is in {@code seg_max}. */
    public static final long VIRTIO_BLK_F_SEG_MAX = 1L << 2;
    /** §5.2.3: the device is read-only. */
    public static final long VIRTIO_BLK_F_RO = 1L << 5;
    /** §5.2.3: cache flush command support. */
    public static final long VIRTIO_BLK_F_FLUSH = 1L << 9;

    static final int VIRTIO_BLK_T_IN = 0;
    static final int VIRTIO_BLK_T_OUT = 1;
    static final int VIRTIO_BLK_T_FLUSH = 4;
    static final int VIRTIO_BLK_T_GET_ID = 8;
    static final int VIRTIO_BLK_S_OK = 0;
    static final int VIRTIO_BLK_S_IOERR = 1;
    static final int VIRTIO_BLK_S_UNSUPP = 2;
    static final int VIRTIO_BLK_ID_BYTES = 20;
    static final int HEADER_SIZE = 16;
    private static final int QUEUE_SIZE = 256;
    private static final int CONFIG_SIZE = 60;
    /**
     * The most data one request may move, and about the most one notification or poll moves. Drivers are told: at
     * most {@code seg_max} segments of at most {@link #SEGMENT_BYTES} each ({@code SIZE_MAX}), which stays below it.
     */
    static final int MAX_REQUEST_BYTES = 32 << 20;
    /** {@code size_max}: the largest segment a driver may send. */
    static final int SEGMENT_BYTES = 128 << 10;
    /** The buffer data moves through between the image and guest memory. */
    private static final int CHUNK_BYTES = 64 << 10;

    private final DiskImage disk;
    private final byte[] serial;
    private final Counter sectorsRead;
    private final Counter sectorsWritten;
    private final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] chunk = new byte[CHUNK_BYTES];
    /** Requests may still wait in the queue: the last turn stopped at its limit. */
    private boolean backlog;

    /**
     * Creates the device.
     *
     * @param disk the open image; the device closes it
     * @param serial the identifier GET_ID returns, truncated to 20 bytes
     * @param sectorsRead counts sectors the guest read
     * @param sectorsWritten counts sectors the guest wrote
     */
    public VirtioBlk(DiskImage disk, String serial, Counter sectorsRead, Counter sectorsWritten) {
        this.disk = requireNonNull(disk, "disk is null");
        this.serial = requireNonNull(serial, "serial is null").getBytes(StandardCharsets.US_ASCII);
        this.sectorsRead = requireNonNull(sectorsRead, "sectorsRead is null");
        this.sectorsWritten = requireNonNull(sectorsWritten, "sectorsWritten is null");
        // §5.2.4: capacity (le64) at 0, size_max (le32) at 8, seg_max (le32) at 12; QEMU leaves two descriptors for
        // header and status.
        VirtioConfigSpace.put(config, 0, 8, disk.sectors());
        VirtioConfigSpace.put(config, 8, 4, SEGMENT_BYTES);
        VirtioConfigSpace.put(config, 12, 4, QUEUE_SIZE - 2);
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_FLUSH
                | (disk.isReadOnly() ? VIRTIO_BLK_F_RO : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize() {
        return QUEUE_SIZE;
    }

    @Override
    public long readConfig(int offset, int size) {
        return VirtioConfigSpace.read(config, offset, size);
    }

    @Override
    public void queueNotified(Virtqueue queue) {
        serve(queue);
    }

    @Override
    public void poll(long now, List<Virtqueue> queues) {
        Virtqueue queue = queues.get(0);
        if (backlog && queue.isReady()) {
            serve(queue);
        }
    }

    @Override
    public void reset() {
        backlog = false;
    }

    /** Handles the queue's requests until it is empty or this turn has moved about {@link #MAX_REQUEST_BYTES}. */
    private void serve(Virtqueue queue) {
        backlog = queue.serve(MAX_REQUEST_BYTES, this::handle);
    }

    @Override
    public void close() {
        disk.close();
    }

    /** §5.2.6: header (readable), data, status byte (the last writable byte). */
    private int handle(DescriptorChain chain) {
        int writable = chain.writableLength();
        if (writable < 1) {
            throw new VirtioProtocolException("block request " + chain.head() + " has no status byte");
        }
        int status = VIRTIO_BLK_S_IOERR;
        try {
            status = execute(chain);
        } catch (MemoryAccessException e) {
            log.debug("block request {} touches memory outside RAM: {}", chain.head(), e.getMessage());
        } catch (IOException e) {
            log.warn("I/O error on {}: {}", disk.path(), e.getMessage());
        }
        chain.write(writable - 1, new byte[] {(byte) status}, 0, 1);
        return writable;
    }

    private int execute(DescriptorChain chain) throws IOException {
        byte[] header = new byte[HEADER_SIZE];
        if (chain.read(0, header, 0, HEADER_SIZE) < HEADER_SIZE) {
            return VIRTIO_BLK_S_IOERR;
        }
        int type = (int) VirtioConfigSpace.read(header, 0, 4);
        long sector = VirtioConfigSpace.read(header, 8, 8);
        return switch (type) {
            case VIRTIO_BLK_T_IN -> readSectors(chain, sector);
            case VIRTIO_BLK_T_OUT -> writeSectors(chain, sector);
            case VIRTIO_BLK_T_FLUSH -> {
                disk.flush();
                yield VIRTIO_BLK_S_OK;
            }
            case VIRTIO_BLK_T_GET_ID -> getId(chain);
            default -> VIRTIO_BLK_S_UNSUPP;
        };
    }

    private int readSectors(DescriptorChain chain, long sector) throws IOException {
        int length = chain.writableLength() - 1;
        if (!inCapacity(sector, length) || !chain.writableInMemory()) {
            return VIRTIO_BLK_S_IOERR;
        }
        long position = sector * DiskImage.SECTOR_SIZE;
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int count = Math.min(CHUNK_BYTES, length - done);
            disk.read(position + done, chunk, count);
            chain.write(done, chunk, 0, count);
        }
        sectorsRead.add(length / DiskImage.SECTOR_SIZE);
        return VIRTIO_BLK_S_OK;
    }

    private int writeSectors(DescriptorChain chain, long sector) throws IOException {
        int length = chain.readableLength() - HEADER_SIZE;
        // Checked whole before the first byte goes to the image: a request that fails leaves the image as it was.
        if (disk.isReadOnly() || !inCapacity(sector, length) || !chain.readableInMemory()) {
            return VIRTIO_BLK_S_IOERR;
        }
        long position = sector * DiskImage.SECTOR_SIZE;
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int count = Math.min(CHUNK_BYTES, length - done);
            chain.read(HEADER_SIZE + done, chunk, 0, count);
            disk.write(position + done, chunk, count);
        }
        sectorsWritten.add(length / DiskImage.SECTOR_SIZE);
        return VIRTIO_BLK_S_OK;
    }

    /** §5.2.6.1: the device writes up to 20 bytes of identifier, NUL-padded when shorter. */
    private int getId(DescriptorChain chain) {
        byte[] id = new byte[VIRTIO_BLK_ID_BYTES];
        System.arraycopy(serial, 0, id, 0, Math.min(serial.length, VIRTIO_BLK_ID_BYTES));
        chain.write(0, id, 0, Math.min(VIRTIO_BLK_ID_BYTES, chain.writableLength() - 1));
        return VIRTIO_BLK_S_OK;
    }

    private boolean inCapacity(long sector, int length) {
        if (length < 0 || length > MAX_REQUEST_BYTES || length % DiskImage.SECTOR_SIZE != 0) {
            return false;
        }
        long count = length / DiskImage.SECTOR_SIZE;
        return Long.compareUnsigned(sector, disk.sectors()) <= 0 && count <= disk.sectors() - sector;
    }
}
