package io.vmmlab.devices.virtio.console;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.virtio.VirtioTestDriver;
import io.vmmlab.devices.virtio.VirtioTestDriver.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.vmmlab.devices.virtio.VirtioMmioRegisters.DEVICE_ID;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.QUEUE_READY;
import static io.vmmlab.devices.virtio.VirtioMmioRegisters.QUEUE_SEL;
import static org.assertj.core.api.Assertions.assertThat;

final class VirtioConsoleTest {
    private static final long RX = VirtioTestDriver.DATA;
    private static final long TX = VirtioTestDriver.DATA + 0x1000;

    private final DeviceContexts board = new DeviceContexts(1);
    private final Device device = new VirtioConsoleProvider().create(board.context("hvc0", 0x1000_3000L, 0x1000, 3),
            new DeviceSpec("virtio-console", Map.of()));
    private final VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);

    @BeforeEach
    void start() {
        assertThat(driver.register(DEVICE_ID)).isEqualTo(3);
        driver.start(0, 2);
    }

    private String received(int length) {
        byte[] bytes = new byte[length];
        board.memory.read(RX, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void transmittedBuffersReachTheConsole() {
        byte[] text = "hi there".getBytes(StandardCharsets.ISO_8859_1);
        board.memory.write(TX, text, 0, 2);
        board.memory.write(TX + 0x100, text, 2, text.length - 2);
        int head = driver.submit(1, Buffer.readable(TX, 2), Buffer.readable(TX + 0x100, text.length - 2));
        assertThat(board.console.output()).isEqualTo("hi there");
        assertThat(driver.used(1, 0)).isEqualTo(new VirtioTestDriver.Used(head, 0));
        assertThat(board.interrupt.isRaised()).isTrue();
    }

    @Test
    void typedInputFillsReceiveBuffersOnPoll() {
        int head = driver.submit(0, Buffer.writable(RX, 16));
        device.poll(0);
        assertThat(driver.usedIndex(0)).isZero();
        board.console.type("ls\n");
        device.poll(0);
        assertThat(driver.usedIndex(0)).isEqualTo(1);
        assertThat(driver.used(0, 0)).isEqualTo(new VirtioTestDriver.Used(head, 3));
        assertThat(received(3)).isEqualTo("ls\n");
        assertThat(board.interrupt.isRaised()).isTrue();
    }

    @Test
    void inputWaitsForAReceiveBuffer() {
        board.console.type("abcdef");
        device.poll(0);
        assertThat(board.console.pendingInput()).isEqualTo(5);
        driver.offer(0, Buffer.writable(RX, 4));
        driver.offer(0, Buffer.writable(RX + 4, 4));
        driver.notifyQueue(0);
        assertThat(driver.usedIndex(0)).isEqualTo(2);
        assertThat(driver.used(0, 0).length()).isEqualTo(4);
        assertThat(driver.used(0, 1).length()).isEqualTo(2);
        assertThat(received(6)).isEqualTo("abcdef");
    }

    @Test
    void aLargeTransmitQueueIsServedInTurnsBetweenPolls() {
        int half = VirtioConsole.MAX_TRANSMIT_TURN / 2; // three buffers: two fill a turn, the third waits for a poll
        byte[] text = new byte[half];
        java.util.Arrays.fill(text, (byte) 'x');
        board.memory.write(VirtioTestDriver.DATA, text, 0, half);
        for (int i = 0; i < 3; i++) {
            driver.offer(1, Buffer.readable(VirtioTestDriver.DATA, half));
        }
        driver.notifyQueue(1);
        assertThat(driver.usedIndex(1)).isEqualTo(2);
        assertThat(board.console.output()).hasSize(2 * half);

        device.poll(0);

        assertThat(driver.usedIndex(1)).isEqualTo(3);
        assertThat(board.console.output()).hasSize(3 * half).containsOnlyOnce("x".repeat(3 * half));
    }

    /** Offers one transmit request of {@code buffers} readable buffers of 64 KiB, all over the same guest bytes. */
    private int offerLargeRequest(int buffers) {
        int segment = 64 << 10;
        byte[] text = new byte[segment];
        java.util.Arrays.fill(text, (byte) 'y');
        board.memory.write(VirtioTestDriver.DATA, text, 0, segment);
        Buffer[] chain = new Buffer[buffers];
        java.util.Arrays.fill(chain, Buffer.readable(VirtioTestDriver.DATA, segment));
        return driver.offerIndirect(1, VirtioTestDriver.DATA + segment, chain);
    }

    @Test
    void oneHugeTransmitRequestIsAlsoServedInTurnsBetweenPolls() {
        int head = offerLargeRequest(64); // 4 MiB in one request: four turns
        driver.notifyQueue(1);
        assertThat(board.console.output()).hasSize(VirtioConsole.MAX_TRANSMIT_TURN);
        assertThat(driver.usedIndex(1)).isZero();
        assertThat(board.interrupt.isRaised()).isFalse();

        for (int turn = 2; turn <= 4; turn++) {
            device.poll(0);
            assertThat(board.console.output()).hasSize(turn * VirtioConsole.MAX_TRANSMIT_TURN);
        }

        assertThat(driver.usedIndex(1)).isEqualTo(1);
        assertThat(driver.used(1, 0)).isEqualTo(new VirtioTestDriver.Used(head, 0));
        assertThat(board.interrupt.isRaised()).isTrue();
        assertThat(board.console.output()).isEqualTo("y".repeat(4 * VirtioConsole.MAX_TRANSMIT_TURN));
    }

    @Test
    void aResetForgetsARequestHalfTransmitted() {
        offerLargeRequest(32);
        driver.notifyQueue(1);
        driver.start(0, 2);
        device.poll(0);

        assertThat(board.console.output()).hasSize(VirtioConsole.MAX_TRANSMIT_TURN);
        assertThat(driver.usedIndex(1)).isZero();
    }
    /**
     * A driver that stops the transmit queue (QueueReady 0, §4.2.2.2) while a request is half sent and sets it up
     * again: the device must not finish the old request into the new rings, whose indices start at 0 (the driver
     * never made that head available there), nor hold the new requests behind it.
     */
    @Test
    void aQueueStoppedAndSetUpAgainForgetsARequestHalfTransmitted() {
        offerLargeRequest(64);
        driver.notifyQueue(1);
        assertThat(board.console.output()).hasSize(VirtioConsole.MAX_TRANSMIT_TURN);

        driver.setRegister(QUEUE_SEL, 1);
        driver.setRegister(QUEUE_READY, 0);
        device.poll(0);
        driver.setUpQueue(1, 8);
        byte[] text = "hi".getBytes(StandardCharsets.ISO_8859_1);
        board.memory.write(TX, text, 0, text.length);
        int head = driver.submit(1, Buffer.readable(TX, text.length));
        for (int i = 0; i < 4; i++) {
            device.poll(0);
        }

        String output = board.console.output();
        assertThat(output.length()).as("the first turn, then the new request")
                .isEqualTo(VirtioConsole.MAX_TRANSMIT_TURN + 2);
        assertThat(output.endsWith("hi")).isTrue();
        assertThat(driver.usedIndex(1)).isEqualTo(1);
        assertThat(driver.used(1, 0)).isEqualTo(new VirtioTestDriver.Used(head, 0));
    }
}
