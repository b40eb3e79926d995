package io.vmmlab.devices.virtio;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.virtio.VirtioTestDriver.Buffer;
import io.vmmlab.devices.virtio.rng.VirtioRngProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A driver that breaks the ring rules on purpose (virtio spec §2.7, §4.2.3.2): every attack must end with the
 * request refused or the device in DEVICE_NEEDS_RESET, never with an exception out of the register window or an
 * access outside guest RAM.
 */
final class HostileDriverTest {
    private static final long DATA = VirtioTestDriver.DATA;
    private static final long RAM_END = DeviceContexts.RAM_BASE + DeviceContexts.RAM_SIZE;

    private final DeviceContexts board = new DeviceContexts(1);
    private final Device device = new VirtioRngProvider().create(board.context("rng0", 0x1000_1000L, 0x1000, 1),
            new DeviceSpec("virtio-rng", Map.of("seed", "7")));
    private final VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);

    private boolean needsReset() {
        return (driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET) != 0;
    }

    private void queueAt(int size, long descriptors, long available, long used) {
        driver.negotiate(VIRTIO_F_VERSION_1);
        driver.setRegister(QUEUE_SEL, 0);
        driver.setRegister(QUEUE_NUM, size);
        driver.setRegister(QUEUE_DESC_LOW, descriptors & 0xffff_ffffL);
        driver.setRegister(QUEUE_DESC_HIGH, descriptors >>> 32);
        driver.setRegister(QUEUE_DRIVER_LOW, available & 0xffff_ffffL);
        driver.setRegister(QUEUE_DRIVER_HIGH, available >>> 32);
        driver.setRegister(QUEUE_DEVICE_LOW, used & 0xffff_ffffL);
        driver.setRegister(QUEUE_DEVICE_HIGH, used >>> 32);
        driver.setRegister(QUEUE_READY, 1);
        driver.driverOk();
    }

    @Test
    void aBufferWhoseEndWrapsAroundTheAddressSpaceIsNotWritten() {
        driver.start(0, 1);
        board.memory.write64(DeviceContexts.RAM_BASE, 0x1122_3344_5566_7788L);
        // 0xffff_ffff_ffff_ff00 + 0x8000_0200 wraps to 0x8000_0100: inside RAM if the end were computed modulo 2^64
        driver.submit(0, Buffer.writable(0xffff_ffff_ffff_ff00L, 0x8000_0200));

        assertThat(needsReset()).isTrue();
        assertThat(board.memory.read64(DeviceContexts.RAM_BASE)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void aUsedRingThatRunsPastTheEndOfRamBreaksTheDevice() {
        long descriptors = DATA;
        long available = DATA + 0x1000;
        // 8 elements of 8 bytes from RAM_END - 36: the fifth one ends past the end of RAM
        queueAt(8, descriptors, available, RAM_END - 40);
        for (int entry = 0; entry < 6; entry++) {
            board.memory.write64(descriptors + 16L * entry, DATA + 0x2000);
            board.memory.write32(descriptors + 16L * entry + 8, 4);
            board.memory.write16(descriptors + 16L * entry + 12, DescriptorChain.DESC_F_WRITE);
            board.memory.write16(available + 4 + 2L * entry, entry);
        }
        board.memory.write16(available + 2, 6);
        driver.notifyQueue(0);

        assertThat(needsReset()).isTrue();
        assertThat(driver.register(INTERRUPT_STATUS) & INTERRUPT_CONFIG_CHANGE).isEqualTo(INTERRUPT_CONFIG_CHANGE);
        assertThat(board.memory.read16(RAM_END - 38)).isEqualTo(4); // the used index counts the four that fit
    }

    @Test
    void anAvailableRingThatRunsPastTheEndOfRamBreaksTheDevice() {
        queueAt(8, DATA, RAM_END - 6, DATA + 0x1000);
        board.memory.write16(RAM_END - 4, 3); // three entries offered, only the first inside RAM
        board.memory.write64(DATA, DATA + 0x2000);
        board.memory.write32(DATA + 8, 4);
        board.memory.write16(DATA + 12, DescriptorChain.DESC_F_WRITE);
        driver.notifyQueue(0);

        assertThat(needsReset()).isTrue();
        assertThat(board.memory.read16(DATA + 0x1002)).isEqualTo(1);
    }

    @Test
    void anIndirectTableThatWrapsAroundTheAddressSpaceBreaksTheDevice() {
        driver.start(VIRTIO_F_INDIRECT_DESC, 1);
        driver.writeRawDescriptor(0, 0, -16L, 64, DescriptorChain.DESC_F_INDIRECT, 0);
        driver.makeAvailable(0, 0);
        driver.notifyQueue(0);

        assertThat(needsReset()).isTrue();
        assertThat(driver.usedIndex(0)).isZero();
    }

    @Test
    void aLoopInsideAnIndirectTableBreaksTheDevice() {
        driver.start(VIRTIO_F_INDIRECT_DESC, 1);
        long table = DATA + 0x4000;
        for (int entry = 0; entry < 4; entry++) {
            board.memory.write64(table + 16L * entry, DATA);
            board.memory.write32(table + 16L * entry + 8, 1);
            board.memory.write16(table + 16L * entry + 12, DescriptorChain.DESC_F_NEXT | DescriptorChain.DESC_F_WRITE);
            board.memory.write16(table + 16L * entry + 14, (entry + 1) % 4);
        }
        driver.writeRawDescriptor(0, 0, table, 64, DescriptorChain.DESC_F_INDIRECT, 0);
        driver.makeAvailable(0, 0);
        driver.notifyQueue(0);

        assertThat(needsReset()).isTrue();
        assertThat(driver.usedIndex(0)).isZero();
    }

    @Test
    void queueSizesOfZeroOrAboveTheMaximumAreRefused() {
        for (int size : new int[] {0, 512, 0x8000_0000, -1}) {
            driver.negotiate(VIRTIO_F_VERSION_1);
            driver.setRegister(QUEUE_SEL, 0);
            driver.setRegister(QUEUE_NUM, size);
            driver.setRegister(QUEUE_READY, 1);

            assertThat(driver.register(QUEUE_READY)).as("size %d", size).isZero();
            assertThat(needsReset()).as("size %d", size).isTrue();
        }
    }

    @Test
    void anEnabledQueueIgnoresNewAddressesAndSize() {
        driver.start(0, 1);
        driver.setRegister(QUEUE_SEL, 0);
        driver.setRegister(QUEUE_NUM, 0);
        driver.setRegister(QUEUE_DESC_LOW, 0x1000);
        driver.setRegister(QUEUE_DRIVER_HIGH, 0xffff_ffffL);
        driver.setRegister(QUEUE_DEVICE_LOW, 0);

        int head = driver.submit(0, Buffer.writable(DATA, 4));

        assertThat(needsReset()).isFalse();
        assertThat(driver.used(0, 0)).isEqualTo(new VirtioTestDriver.Used(head, 4));
    }

    @Test
    void registersOfQueuesThatDoNotExistReadZeroAndIgnoreWrites() {
        driver.start(0, 1);
        for (long select : new long[] {1, 0xffff_ffffL, 0x8000_0000L}) {
            driver.setRegister(QUEUE_SEL, select);
            driver.setRegister(QUEUE_NUM, 8);
            driver.setRegister(QUEUE_READY, 1);
            assertThat(driver.register(QUEUE_NUM_MAX)).isZero();
            assertThat(driver.register(QUEUE_READY)).isZero();
        }
        driver.setRegister(QUEUE_NOTIFY, 1);
        driver.setRegister(QUEUE_NOTIFY, 0xffff);

        assertThat(needsReset()).isFalse();
    }

    @Test
    void anAvailableIndexFarAheadOfTheDeviceBreaksTheDevice() {
        driver.start(0, 1);
        board.memory.write16(DeviceContexts.RAM_BASE + 0x10000 + 16 * 8 + 2, 9); // 9 entries in a ring of 8
        driver.notifyQueue(0);

        assertThat(needsReset()).isTrue();
        assertThat(driver.usedIndex(0)).isZero();
    }

    @Test
    void theDriverCannotSetOrClearDeviceNeedsResetItself() {
        driver.start(0, 1);
        driver.setRegister(STATUS, driver.register(STATUS) | STATUS_DEVICE_NEEDS_RESET);
        assertThat(needsReset()).isFalse();

        driver.makeAvailable(0, 8);
        driver.notifyQueue(0);
        driver.setRegister(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
        assertThat(needsReset()).isTrue();
    }
}
