package io.vmmlab.devices.virtio;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import io.vmmlab.devices.virtio.VirtioTestDriver.Buffer;
import io.vmmlab.devices.virtio.rng.VirtioRngProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exercises the transport through the simplest backend, the entropy device with a fixed seed. */
final class VirtioMmioTransportTest {
    private static final long DATA = VirtioTestDriver.DATA;

    private final DeviceContexts board = new DeviceContexts(1);
    private final Device device = new VirtioRngProvider().create(board.context("rng0", 0x1000_1000L, 0x1000, 1),
            new DeviceSpec("virtio-rng", Map.of("seed", "7")));
    private final VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);

    @Test
    void identifiesItselfAsAVersionTwoDevice() {
        assertThat(driver.register(MAGIC_VALUE)).isEqualTo(0x74726976);
        assertThat(driver.register(VERSION_REGISTER)).isEqualTo(2);
        assertThat(driver.register(DEVICE_ID)).isEqualTo(4);
        assertThat(driver.register(VENDOR_ID_REGISTER)).isEqualTo(0x554d4551);
        assertThat(driver.deviceFeatures()).isEqualTo(VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC);
    }

    @Test
    void refusesFeaturesOkWithoutVersionOne() {
        int status = driver.negotiate(0);
        assertThat(status & STATUS_FEATURES_OK).isZero();
        status = driver.negotiate(VIRTIO_F_VERSION_1 | (1L << 40));
        assertThat(status & STATUS_FEATURES_OK).isZero();
        status = driver.negotiate(VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC);
        assertThat(status & STATUS_FEATURES_OK).isEqualTo(STATUS_FEATURES_OK);
    }

    @Test
    void reportsQueueSizesAndReadiness() {
        driver.setRegister(QUEUE_SEL, 0);
        assertThat(driver.register(QUEUE_NUM_MAX)).isEqualTo(256);
        assertThat(driver.register(QUEUE_READY)).isZero();
        driver.setRegister(QUEUE_SEL, 1);
        assertThat(driver.register(QUEUE_NUM_MAX)).isZero();
        driver.negotiate(VIRTIO_F_VERSION_1);
        driver.setUpQueue(0, 8);
        driver.setRegister(QUEUE_SEL, 0);
        assertThat(driver.register(QUEUE_READY)).isEqualTo(1);
    }

    @Test
    void usedBufferRaisesTheInterruptUntilAcknowledged() {
        driver.start(0, 1);
        int head = driver.submit(0, Buffer.writable(DATA, 16));
        assertThat(driver.usedIndex(0)).isEqualTo(1);
        assertThat(driver.used(0, 0)).isEqualTo(new VirtioTestDriver.Used(head, 16));
        assertThat(driver.register(INTERRUPT_STATUS)).isEqualTo(INTERRUPT_USED_BUFFER);
        assertThat(board.interrupt.isRaised()).isTrue();
        driver.acknowledgeInterrupt();
        assertThat(driver.register(INTERRUPT_STATUS)).isZero();
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void respectsNoInterruptInTheAvailableRing() {
        driver.start(0, 1);
        driver.suppressInterrupts(0, true);
        driver.submit(0, Buffer.writable(DATA, 4));
        assertThat(driver.usedIndex(0)).isEqualTo(1);
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void processesNothingBeforeDriverOkAndCatchesUpAfterIt() {
        driver.negotiate(VIRTIO_F_VERSION_1);
        driver.setUpQueue(0, 8);
        driver.submit(0, Buffer.writable(DATA, 4));
        assertThat(driver.usedIndex(0)).isZero();
        driver.driverOk();
        assertThat(driver.usedIndex(0)).isEqualTo(1);
    }

    @Test
    void processesManyRequestsAcrossTheRingWrap() {
        driver.start(0, 1);
        for (int i = 0; i < 20; i++) {
            driver.submit(0, Buffer.writable(DATA + 16L * i, 16));
        }
        assertThat(driver.usedIndex(0)).isEqualTo(20);
        assertThat(driver.used(0, 19).length()).isEqualTo(16);
    }

    @Test
    void ringsOutsideRamSetNeedsResetAndNotifyTheDriver() {
        driver.negotiate(VIRTIO_F_VERSION_1);
        driver.setRegister(QUEUE_SEL, 0);
        driver.setRegister(QUEUE_NUM, 8);
        driver.setRegister(QUEUE_DESC_LOW, 0x1000);
        driver.setRegister(QUEUE_DRIVER_LOW, 0x2000);
        driver.setRegister(QUEUE_DEVICE_LOW, 0x3000);
        driver.setRegister(QUEUE_READY, 1);
        driver.driverOk();
        driver.notifyQueue(0);
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isEqualTo(STATUS_DEVICE_NEEDS_RESET);
        assertThat(driver.register(INTERRUPT_STATUS)).isEqualTo(INTERRUPT_CONFIG_CHANGE);
        assertThat(board.interrupt.isRaised()).isTrue();
    }

    @Test
    void loopingChainSetsNeedsReset() {
        driver.start(0, 1);
        driver.writeRawDescriptor(0, 0, DATA, 4, DescriptorChain.DESC_F_NEXT | DescriptorChain.DESC_F_WRITE, 1);
        driver.writeRawDescriptor(0, 1, DATA, 4, DescriptorChain.DESC_F_NEXT | DescriptorChain.DESC_F_WRITE, 0);
        driver.makeAvailable(0, 0);
        driver.notifyQueue(0);
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isEqualTo(STATUS_DEVICE_NEEDS_RESET);
        assertThat(driver.usedIndex(0)).isZero();

        // A reset clears the error, and the device works again.
        driver.start(0, 1);
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isZero();
        driver.submit(0, Buffer.writable(DATA, 4));
        assertThat(driver.usedIndex(0)).isEqualTo(1);
    }

    @Test
    void descriptorIndexOutsideTheTableSetsNeedsReset() {
        driver.start(0, 1);
        driver.makeAvailable(0, 8);
        driver.notifyQueue(0);
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isEqualTo(STATUS_DEVICE_NEEDS_RESET);
    }

    @Test
    void queueSizeMustBeAPowerOfTwo() {
        driver.negotiate(VIRTIO_F_VERSION_1);
        driver.setRegister(QUEUE_SEL, 0);
        driver.setRegister(QUEUE_NUM, 6);
        driver.setRegister(QUEUE_READY, 1);
        assertThat(driver.register(QUEUE_READY)).isZero();
        assertThat(driver.register(STATUS) & STATUS_DEVICE_NEEDS_RESET).isEqualTo(STATUS_DEVICE_NEEDS_RESET);
    }

    @Test
    void writingZeroToStatusResetsEverything() {
        driver.start(0, 1);
        driver.submit(0, Buffer.writable(DATA, 4));
        driver.setRegister(STATUS, 0);
        assertThat(driver.register(STATUS)).isZero();
        assertThat(driver.register(INTERRUPT_STATUS)).isZero();
        assertThat(board.interrupt.isRaised()).isFalse();
        driver.setRegister(QUEUE_SEL, 0);
        assertThat(driver.register(QUEUE_READY)).isZero();
    }

    @Test
    void controlRegistersTakeOnlyWordAccesses() {
        assertThatThrownBy(() -> device.read(MAGIC_VALUE, 1)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> device.write(STATUS, 8, 1)).isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void countsAccesses() {
        driver.register(MAGIC_VALUE);
        driver.setRegister(STATUS, 1);
        assertThat(board.counters.snapshot().get("mmio", "rng0-read")).isEqualTo(1);
        assertThat(board.counters.snapshot().get("mmio", "rng0-write")).isEqualTo(1);
    }

    @Test
    void describesItselfLikeQemu() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        device.describe(tree);
        RecordingDeviceTreeWriter.Node node = tree.node("virtio_mmio@10001000");
        assertThat(node.strings("compatible")).containsExactly("virtio,mmio");
        assertThat(node.cells("reg")).containsExactly(0, 0x1000_1000, 0, 0x1000);
        assertThat(node.cells("interrupts")).containsExactly(1);
        assertThat(node.cells("interrupt-parent")).containsExactly(RecordingDeviceTreeWriter.PLIC_PHANDLE);
    }
}
