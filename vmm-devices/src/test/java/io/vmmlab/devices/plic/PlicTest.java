package io.vmmlab.devices.plic;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import io.vmmlab.devices.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class PlicTest {
    private static final int HART0_M = 0;
    private static final int HART0_S = 1;
    private static final int HART1_M = 2;

    private final DeviceContexts board = new DeviceContexts(2);
    private final Device plic = new PlicProvider().create(board.context("plic", 0x0c00_0000L, 0x600000, 0),
            new DeviceSpec("plic", Map.of()));
    private final InterruptController controller = (InterruptController) plic;

    private RecordingInterruptLine external(int hart, HartInterrupt interrupt) {
        return board.harts.line(hart, interrupt);
    }

    private void priority(int source, int value) {
        plic.write(4L * source, 4, value);
    }

    private void enable(int context, int source) {
        long offset = 0x2000 + 0x80L * context + 4L * (source / 32);
        plic.write(offset, 4, plic.read(offset, 4) | (1L << (source % 32)));
    }

    private void threshold(int context, int value) {
        plic.write(0x200000 + 0x1000L * context, 4, value);
    }

    private int claim(int context) {
        return (int) plic.read(0x200004 + 0x1000L * context, 4);
    }

    private void complete(int context, int source) {
        plic.write(0x200004 + 0x1000L * context, 4, source);
    }

    @Test
    void sourceAtPriorityZeroNeverInterrupts() {
        enable(HART0_S, 10);
        controller.source(10).raise();
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        assertThat(claim(HART0_S)).isZero();
    }

    @Test
    void enabledSourceInterruptsOnlyItsContext() {
        priority(10, 1);
        enable(HART0_S, 10);
        controller.source(10).raise();
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isTrue();
        assertThat(external(0, HartInterrupt.MACHINE_EXTERNAL).isRaised()).isFalse();
        assertThat(external(1, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        assertThat(plic.read(0x1000, 4)).isEqualTo(1L << 10);
    }

    @Test
    void claimAndCompleteFollowTheGateway() {
        InterruptLine uart = controller.source(10);
        priority(10, 1);
        enable(HART0_S, 10);
        uart.raise();

        assertThat(claim(HART0_S)).isEqualTo(10);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        assertThat(claim(HART0_S)).isZero();

        // Still asserted but claimed: no new request until completion.
        uart.lower();
        uart.raise();
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();

        complete(HART0_S, 10);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isTrue();
        assertThat(claim(HART0_S)).isEqualTo(10);
        uart.lower();
        complete(HART0_S, 10);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        assertThat(claim(HART0_S)).isZero();
    }

    @Test
    void loweringAnUnclaimedSourceWithdrawsIt() {
        priority(3, 2);
        enable(HART0_M, 3);
        controller.source(3).raise();
        assertThat(external(0, HartInterrupt.MACHINE_EXTERNAL).isRaised()).isTrue();
        controller.source(3).lower();
        assertThat(external(0, HartInterrupt.MACHINE_EXTERNAL).isRaised()).isFalse();
        assertThat(claim(HART0_M)).isZero();
    }

    @Test
    void thresholdMasksLowerOrEqualPriorities() {
        priority(5, 3);
        enable(HART0_S, 5);
        threshold(HART0_S, 3);
        controller.source(5).raise();
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        assertThat(claim(HART0_S)).isZero();
        threshold(HART0_S, 2);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isTrue();
        assertThat(plic.read(0x200000 + 0x1000, 4)).isEqualTo(2);
        assertThat(claim(HART0_S)).isEqualTo(5);
    }

    @Test
    void highestPriorityWinsAndTiesGoToTheLowestSource() {
        for (int source : new int[] {4, 7, 9}) {
            enable(HART1_M, source);
            controller.source(source).raise();
        }
        priority(4, 2);
        priority(7, 5);
        priority(9, 5);
        assertThat(claim(HART1_M)).isEqualTo(7);
        assertThat(claim(HART1_M)).isEqualTo(9);
        assertThat(claim(HART1_M)).isEqualTo(4);
        assertThat(claim(HART1_M)).isZero();
        assertThat(external(1, HartInterrupt.MACHINE_EXTERNAL).history()).containsExactly(true, false);
    }

    @Test
    void completionForASourceNotEnabledInThatContextIsIgnored() {
        priority(8, 1);
        enable(HART0_S, 8);
        controller.source(8).raise();
        assertThat(claim(HART0_S)).isEqualTo(8);
        complete(HART0_M, 8);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isFalse();
        complete(HART0_S, 8);
        assertThat(external(0, HartInterrupt.SUPERVISOR_EXTERNAL).isRaised()).isTrue();
    }

    @Test
    void prioritiesAreThreeBitsAndSourceZeroIsHardwired() {
        priority(1, 0xff);
        assertThat(plic.read(4, 4)).isEqualTo(7);
        priority(0, 5);
        assertThat(plic.read(0, 4)).isZero();
        plic.write(0x2000, 4, 0xffff_ffffL);
        assertThat(plic.read(0x2000, 4)).isEqualTo(0xffff_fffeL);
    }

    @Test
    void sourcesOutsideOneToNinetyFiveAreRejected() {
        assertThatThrownBy(() -> controller.source(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> controller.source(96)).isInstanceOf(IllegalArgumentException.class);
        assertThat(controller.source(95)).isNotNull();
    }

    @Test
    void onlyWordAccessesAreAllowed() {
        assertThatThrownBy(() -> plic.read(0x200004, 8)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> plic.write(0x4, 1, 1)).isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void describesItselfWithThePhandleTheBoardChose() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        plic.describe(tree);
        RecordingDeviceTreeWriter.Node node = tree.node("plic@c000000");
        assertThat(node.cells("phandle")).containsExactly(RecordingDeviceTreeWriter.PLIC_PHANDLE);
        assertThat(node.strings("compatible")).containsExactly("sifive,plic-1.0.0", "riscv,plic0");
        assertThat(node.cells("reg")).containsExactly(0, 0x0c00_0000, 0, 0x600000);
        assertThat(node.cells("riscv,ndev")).containsExactly(95);
        assertThat(node.cells("#interrupt-cells")).containsExactly(1);
        assertThat(node.cells("#address-cells")).containsExactly(0);
        assertThat(node.bytes("interrupt-controller")).isEmpty();
        assertThat(node.cells("interrupts-extended")).containsExactly(1, 11, 1, 9, 2, 11, 2, 9);
    }
}
