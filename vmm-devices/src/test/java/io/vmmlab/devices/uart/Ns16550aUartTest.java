package io.vmmlab.devices.uart;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class Ns16550aUartTest {
    private static final int RBR_THR = 0;
    private static final int IER = 1;
    private static final int IIR_FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;
    private static final int SCR = 7;

    private final DeviceContexts board = new DeviceContexts(1);
    private final Device uart = new Ns16550aProvider().create(board.context("uart0", 0x1000_0000L, 0x100, 10),
            new DeviceSpec("ns16550a", Map.of()));

    private void send(String text) {
        for (char c : text.toCharArray()) {
            uart.write(RBR_THR, 1, c);
        }
    }

    @Test
    void transmittedBytesReachTheConsole() {
        send("hello\n");
        assertThat(board.console.output()).isEqualTo("hello\n");
        assertThat(uart.read(LSR, 1) & 0x60).isEqualTo(0x60);
    }

    @Test
    void receivedBytesArriveThroughPoll() {
        board.console.type("ok");
        assertThat(uart.read(LSR, 1) & 1).isZero();
        uart.poll(0);
        assertThat(uart.read(LSR, 1) & 1).isEqualTo(1);
        assertThat(uart.read(RBR_THR, 1)).isEqualTo('o');
        assertThat(uart.read(RBR_THR, 1)).isEqualTo('k');
        assertThat(uart.read(LSR, 1) & 1).isZero();
        assertThat(uart.read(RBR_THR, 1)).isZero();
    }

    @Test
    void receiveFifoHoldsSixteenBytesAndLeavesTheRestWithTheHost() {
        board.console.type("abcdefghijklmnopqrst");
        uart.poll(0);
        assertThat(board.console.pendingInput()).isEqualTo(4);
        StringBuilder received = new StringBuilder();
        while ((uart.read(LSR, 1) & 1) != 0) {
            received.append((char) uart.read(RBR_THR, 1));
        }
        assertThat(received).hasToString("abcdefghijklmnop");
        uart.poll(0);
        assertThat(uart.read(RBR_THR, 1)).isEqualTo('q');
    }

    @Test
    void receiveInterruptFollowsTheFifo() {
        uart.write(IER, 1, 0x01);
        assertThat(board.interrupt.isRaised()).isFalse();
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x01);
        board.console.type("x");
        uart.poll(0);
        assertThat(board.interrupt.isRaised()).isTrue();
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x04);
        uart.read(RBR_THR, 1);
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void transmitterEmptyInterruptFiresWhenEnabledAndClearsOnIirRead() {
        uart.write(IER, 1, 0x02);
        assertThat(board.interrupt.isRaised()).isTrue();
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x02);
        assertThat(board.interrupt.isRaised()).isFalse();
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x01);

        // Linux's 8250 driver waits for this: every THR write re-arms the THRE interrupt.
        send("a");
        assertThat(board.interrupt.isRaised()).isTrue();
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x02);

        uart.write(IER, 1, 0x00);
        send("b");
        assertThat(board.interrupt.isRaised()).isFalse();
        assertThat(board.interrupt.history()).containsExactly(true, false, true, false);
    }

    @Test
    void receiveDataOutranksTransmitterEmpty() {
        uart.write(IER, 1, 0x03);
        board.console.type("z");
        uart.poll(0);
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x04);
        // Reading IIR while RDA is highest leaves THRE pending.
        uart.read(RBR_THR, 1);
        assertThat(uart.read(IIR_FCR, 1) & 0x0f).isEqualTo(0x02);
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void fifoControlShowsInIirAndClearsTheReceiveFifo() {
        uart.write(IIR_FCR, 1, 0x01);
        assertThat(uart.read(IIR_FCR, 1) & 0xc0).isEqualTo(0xc0);
        board.console.type("abc");
        uart.poll(0);
        uart.write(IIR_FCR, 1, 0x03);
        assertThat(uart.read(LSR, 1) & 1).isZero();
    }

    @Test
    void divisorLatchSharesOffsetsWithoutDisturbingData() {
        uart.write(LCR, 1, 0x83);
        uart.write(RBR_THR, 1, 0x01);
        uart.write(IER, 1, 0x02);
        assertThat(uart.read(RBR_THR, 1)).isEqualTo(0x01);
        assertThat(uart.read(IER, 1)).isEqualTo(0x02);
        assertThat(board.console.output()).isEmpty();
        uart.write(LCR, 1, 0x03);
        assertThat(uart.read(IER, 1)).isZero();
        assertThat(board.interrupt.isRaised()).isFalse();
        assertThat(uart.read(LCR, 1)).isEqualTo(0x03);
    }

    @Test
    void scratchAndModemRegisters() {
        uart.write(SCR, 1, 0x5a);
        assertThat(uart.read(SCR, 1)).isEqualTo(0x5a);
        assertThat(uart.read(MSR, 1)).isEqualTo(0xb0);
        uart.write(MCR, 1, 0x10 | 0x0a);
        assertThat(uart.read(MSR, 1) & 0xf0).isEqualTo(0x90);
    }

    @Test
    void loopbackReturnsTransmittedBytes() {
        uart.write(MCR, 1, 0x10);
        send("L");
        assertThat(board.console.output()).isEmpty();
        assertThat(uart.read(RBR_THR, 1)).isEqualTo('L');
    }

    @Test
    void countsAccesses() {
        send("ab");
        uart.read(LSR, 1);
        assertThat(board.counters.snapshot().get("mmio", "uart0-write")).isEqualTo(2);
        assertThat(board.counters.snapshot().get("mmio", "uart0-read")).isEqualTo(1);
    }

    @Test
    void describesItselfLikeQemu() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        uart.describe(tree);
        RecordingDeviceTreeWriter.Node node = tree.node("serial@10000000");
        assertThat(node.strings("compatible")).containsExactly("ns16550a");
        assertThat(node.cells("reg")).containsExactly(0, 0x1000_0000, 0, 0x100);
        assertThat(node.cells("clock-frequency")).containsExactly(0x384000);
        assertThat(node.cells("interrupts")).containsExactly(10);
        assertThat(node.cells("interrupt-parent")).containsExactly(RecordingDeviceTreeWriter.PLIC_PHANDLE);
    }

    @Test
    void refusesToRunWithoutAnInterrupt() {
        assertThatThrownBy(() -> new Ns16550aProvider().create(board.context("uart1", 0x1000_0000L, 0x100, 0),
                new DeviceSpec("ns16550a", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ns16550a: ");
    }
}
