package io.vmmlab.devices.virtio.blk;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.virtio.VirtioTestDriver;
import io.vmmlab.devices.virtio.VirtioTestDriver.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.CONFIG;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.DEVICE_ID;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.STATUS;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.STATUS_DEVICE_NEEDS_RESET;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class VirtioBlkTest {
    private static final int SECTORS = 16;
    private static final long HEADER = VirtioTestDriver.DATA;
    private static final long DATA = VirtioTestDriver.DATA + 0x100;
    private static final long STATUS_BYTE = VirtioTestDriver.DATA + 0x80;

    @TempDir
    Path directory;

    private final DeviceContexts board = new DeviceContexts(1);
    private Path image;

    @BeforeEach
    void createImage() throws IOException {
        image = directory.resolve("disk.img");
        byte[] content = new byte[SECTORS * 512];
        for (int sector = 0; sector < SECTORS; sector++) {
            Arrays.fill(content, sector * 512, (sector + 1) * 512, (byte) ('A' + sector));
        }
        Files.write(image, content);
    }

    private Device create(Map<String, String> options) {
        return new VirtioBlkProvider().create(board.context("vda", 0x1000_1000L, 0x1000, 1),
                new DeviceSpec("virtio-blk", options));
    }

    private VirtioTestDriver started(Device device) {
        VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);
        driver.start(VirtioBlk.VIRTIO_BLK_F_FLUSH, 1);
        return driver;
    }

    private void header(int type, long sector) {
        board.memory.write32(HEADER, type);
        board.memory.write32(HEADER + 4, 0);
        board.memory.write64(HEADER + 8, sector);
        board.memory.write8(STATUS_BYTE, 0xff);
    }

    private int status() {
        return board.memory.read8(STATUS_BYTE);
    }

    @Test
    void advertisesCapacityAndFeatures() {
        Device device = create(Map.of("path", image.toString()));
        VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);
        assertThat(driver.register(DEVICE_ID)).isEqualTo(2);
        assertThat(device.read(CONFIG, 8)).isEqualTo(SECTORS);
        assertThat(device.read(CONFIG, 4)).isEqualTo(SECTORS);
        assertThat(device.read(CONFIG + 4, 4)).isZero();
        assertThat(driver.deviceFeatures())
                .isEqualTo(VIRTIO_F_VERSION_1 | (1L << 28) | VirtioBlk.VIRTIO_BLK_F_FLUSH
                        | VirtioBlk.VIRTIO_BLK_F_SEG_MAX | VirtioBlk.VIRTIO_BLK_F_SIZE_MAX);
        assertThat(device.read(CONFIG + 8, 4)).as("size_max").isEqualTo(128 * 1024);
        assertThat(device.read(CONFIG + 12, 4)).as("seg_max").isEqualTo(254);
        assertThat(254L * 128 * 1024).as("what a driver may send").isLessThanOrEqualTo(VirtioBlk.MAX_REQUEST_BYTES);
    }

    @Test
    void readsSectors() {
        VirtioTestDriver driver = started(create(Map.of("path", image.toString())));
        header(VirtioBlk.VIRTIO_BLK_T_IN, 3);
        int head = driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(DATA, 1024),
                Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        assertThat(board.memory.read8(DATA)).isEqualTo('D');
        assertThat(board.memory.read8(DATA + 1023)).isEqualTo('E');
        assertThat(driver.used(0, 0)).isEqualTo(new VirtioTestDriver.Used(head, 1025));
        assertThat(board.counters.snapshot().get("virtio-blk", "vda-sectors-read")).isEqualTo(2);
    }

    @Test
    void writesReachTheFileAfterFlushAndClose() throws IOException {
        Device device = create(Map.of("path", image.toString()));
        VirtioTestDriver driver = started(device);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 'z');
        board.memory.write(DATA, data, 0, 512);
        header(VirtioBlk.VIRTIO_BLK_T_OUT, 15);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.readable(DATA, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);

        header(VirtioBlk.VIRTIO_BLK_T_FLUSH, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        device.close();

        byte[] file = Files.readAllBytes(image);
        assertThat(file).hasSize(SECTORS * 512);
        assertThat(file[15 * 512]).isEqualTo((byte) 'z');
        assertThat(file[15 * 512 - 1]).isEqualTo((byte) 'O');
        assertThat(board.counters.snapshot().get("virtio-blk", "vda-sectors-written")).isEqualTo(1);
    }

    @Test
    void readsAcrossAnIndirectTable() {
        VirtioTestDriver driver = started(create(Map.of("path", image.toString())));
        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        driver.offerIndirect(0, VirtioTestDriver.DATA + 0x4000, Buffer.readable(HEADER, 16),
                Buffer.writable(DATA, 256), Buffer.writable(DATA + 0x1000, 256), Buffer.writable(STATUS_BYTE, 1));
        driver.notifyQueue(0);
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        assertThat(board.memory.read8(DATA + 0x1000 + 255)).isEqualTo('A');
    }

    @Test
    void getIdReturnsTheInstanceName() {
        VirtioTestDriver driver = started(create(Map.of("path", image.toString())));
        header(VirtioBlk.VIRTIO_BLK_T_GET_ID, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(DATA, 20), Buffer.writable(STATUS_BYTE, 1));
        byte[] id = new byte[20];
        board.memory.read(DATA, id, 0, 20);
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        assertThat(new String(id, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("vda");
        assertThat(id[3]).isZero();
    }

    @Test
    void unknownRequestTypesAreUnsupported() {
        VirtioTestDriver driver = started(create(Map.of("path", image.toString())));
        header(11, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_UNSUPP);
    }

    @Test
    void readOnlyDiskOffersRoAndRefusesWrites() throws IOException {
        Device device = create(Map.of("path", image.toString(), "readonly", "true"));
        VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);
        assertThat(driver.deviceFeatures() & VirtioBlk.VIRTIO_BLK_F_RO).isNotZero();
        driver.start(VirtioBlk.VIRTIO_BLK_F_RO, 1);
        header(VirtioBlk.VIRTIO_BLK_T_OUT, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.readable(DATA, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        device.close();
        assertThat(Files.readAllBytes(image)[0]).isEqualTo((byte) 'A');
    }

    @Test
    void requestsBeyondTheCapacityOrOfPartialSectorsFail() {
        VirtioTestDriver driver = started(create(Map.of("path", image.toString())));
        header(VirtioBlk.VIRTIO_BLK_T_IN, SECTORS - 1);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(DATA, 1024), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        header(VirtioBlk.VIRTIO_BLK_T_IN, -1L);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(DATA, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(DATA, 100), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        assertThat(driver.usedIndex(0)).isEqualTo(3);
    }

    @Test
    void dataBufferOutsideRamFailsTheRequestOnly() {
        Device device = create(Map.of("path", image.toString()));
        VirtioTestDriver driver = started(device);
        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(0x1000, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        assertThat(driver.usedIndex(0)).isEqualTo(1);
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isZero();

        header(VirtioBlk.VIRTIO_BLK_T_OUT, 0);
        long pastRam = DeviceContexts.RAM_BASE + DeviceContexts.RAM_SIZE - 256;
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.readable(pastRam, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
    }

    @Test
    void statusByteOutsideRamBreaksTheDevice() {
        Device device = create(Map.of("path", image.toString()));
        VirtioTestDriver driver = started(device);
        header(VirtioBlk.VIRTIO_BLK_T_FLUSH, 0);
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.writable(0xffff_ffff_ffff_fff0L, 1));
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isEqualTo(STATUS_DEVICE_NEEDS_RESET);
        assertThat(driver.usedIndex(0)).isZero();
    }

    @Test
    void partialTrailingSectorIsRoundedDown() throws IOException {
        Path odd = directory.resolve("odd.img");
        Files.write(odd, new byte[3 * 512 + 100]);
        Device device = create(Map.of("path", odd.toString()));
        assertThat(device.read(CONFIG, 8)).isEqualTo(3);
    }

    @Test
    void rejectsBadOptionsWithOneLineMessages() {
        Path missing = directory.resolve("missing.img");
        assertThatThrownBy(() -> create(Map.of("path", missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("virtio-blk: disk image " + missing + " does not exist");
        assertThatThrownBy(() -> create(Map.of()))
                .hasMessage("virtio-blk: option 'path' is required");
        assertThatThrownBy(() -> create(Map.of("path", image.toString(), "readonly", "yes")))
                .hasMessage("virtio-blk: option 'readonly' must be true or false, not 'yes'");
        assertThatThrownBy(() -> create(Map.of("path", image.toString(), "cache", "none")))
                .hasMessage("virtio-blk: unknown option 'cache' (known: path, readonly)");
        assertThatThrownBy(() -> create(Map.of("path", directory.toString())))
                .hasMessageContaining("is not a regular file");
    }

    /** A 64 MiB image, sparse: room for requests of tens of MiB. */
    private Path largeImage() throws IOException {
        Path large = directory.resolve("large.img");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(64L << 20);
        }
        return large;
    }

    private static final long BIG_BUFFER = DeviceContexts.RAM_BASE + 0x90000;
    private static final int BIG_BUFFER_BYTES = 0x40000;

    /** Header, {@code dataBytes} of data in 256 KiB descriptors that all cover the same RAM, status byte. */
    private static Buffer[] request(long dataBytes, boolean deviceWrites) {
        int count = (int) (dataBytes / BIG_BUFFER_BYTES);
        Buffer[] buffers = new Buffer[count + 2];
        buffers[0] = Buffer.readable(HEADER, 16);
        for (int i = 0; i < count; i++) {
            buffers[i + 1] = deviceWrites ? Buffer.writable(BIG_BUFFER, BIG_BUFFER_BYTES)
                    : Buffer.readable(BIG_BUFFER, BIG_BUFFER_BYTES);
        }
        buffers[count + 1] = Buffer.writable(STATUS_BYTE, 1);
        return buffers;
    }

    @Test
    void aRequestAboveTheDeviceLimitFails() throws IOException {
        VirtioTestDriver driver = started(create(Map.of("path", largeImage().toString())));
        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        driver.offerIndirect(0, VirtioTestDriver.DATA + 0x4000,
                request(VirtioBlk.MAX_REQUEST_BYTES + BIG_BUFFER_BYTES, true));
        driver.notifyQueue(0);
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);

        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        driver.offerIndirect(0, VirtioTestDriver.DATA + 0x4000, request(VirtioBlk.MAX_REQUEST_BYTES, true));
        driver.notifyQueue(0);
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        assertThat(driver.usedIndex(0)).isEqualTo(2);
    }

    @Test
    void aQueueOfLargeRequestsIsServedInTurnsBetweenPolls() throws IOException {
        Device device = create(Map.of("path", largeImage().toString()));
        VirtioTestDriver driver = started(device);
        header(VirtioBlk.VIRTIO_BLK_T_IN, 0);
        long half = VirtioBlk.MAX_REQUEST_BYTES / 2; // two fill a turn, the third waits for a poll
        for (int i = 0; i < 3; i++) {
            driver.offerIndirect(0, VirtioTestDriver.DATA + 0x4000 + 0x800 * i, request(half, true));
        }
        driver.notifyQueue(0);
        assertThat(driver.usedIndex(0)).isEqualTo(2);

        device.poll(0);

        assertThat(driver.usedIndex(0)).isEqualTo(3);
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_OK);
        assertThat(board.counters.snapshot().get("virtio-blk", "vda-sectors-read")).isEqualTo(3 * half / 512);
    }

    @Test
    void aWriteWhoseDataEndsOutsideRamLeavesTheImageUntouched() throws IOException {
        Path large = largeImage();
        Device device = create(Map.of("path", large.toString()));
        VirtioTestDriver driver = started(device);
        byte[] data = new byte[BIG_BUFFER_BYTES];
        Arrays.fill(data, (byte) 'q');
        board.memory.write(BIG_BUFFER, data, 0, data.length);
        header(VirtioBlk.VIRTIO_BLK_T_OUT, 0);
        long pastRam = DeviceContexts.RAM_BASE + DeviceContexts.RAM_SIZE - 256;
        driver.submit(0, Buffer.readable(HEADER, 16), Buffer.readable(BIG_BUFFER, BIG_BUFFER_BYTES),
                Buffer.readable(pastRam, 512), Buffer.writable(STATUS_BYTE, 1));
        assertThat(status()).isEqualTo(VirtioBlk.VIRTIO_BLK_S_IOERR);
        device.close();

        byte[] start = new byte[BIG_BUFFER_BYTES];
        try (java.io.InputStream in = Files.newInputStream(large)) {
            assertThat(in.readNBytes(start, 0, start.length)).isEqualTo(start.length);
        }
        assertThat(start).containsOnly(0);
        assertThat(board.counters.snapshot().get("virtio-blk", "vda-sectors-written")).isZero();
    }
}
