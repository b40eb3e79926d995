package io.vmmlab.devices.clint;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import io.vmmlab.devices.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ClintTest {
    private final DeviceContexts board = new DeviceContexts(2);
    private final Device clint = new ClintProvider().create(board.context("clint", 0x0200_0000L, 0x10000, 0),
            new DeviceSpec("clint", Map.of()));

    private RecordingInterruptLine timer(int hart) {
        return board.harts.line(hart, HartInterrupt.MACHINE_TIMER);
    }

    private RecordingInterruptLine software(int hart) {
        return board.harts.line(hart, HartInterrupt.MACHINE_SOFTWARE);
    }

    @Test
    void mtimecmpResetsToAllOnesAndNeverFires() {
        assertThat(clint.read(0x4000, 8)).isEqualTo(-1L);
        assertThat(clint.read(0x4008, 8)).isEqualTo(-1L);
        board.time.set(1_000_000);
        assertThat(clint.poll(1_000_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(timer(0).isRaised()).isFalse();
    }

    @Test
    void timerFiresWhenMtimeReachesMtimecmp() {
        board.time.set(100);
        clint.write(0x4008, 8, 150);
        assertThat(timer(1).isRaised()).isFalse();
        assertThat(clint.poll(120)).isEqualTo(150);
        assertThat(timer(1).isRaised()).isFalse();

        assertThat(clint.poll(150)).isEqualTo(Long.MAX_VALUE);
        assertThat(timer(1).isRaised()).isTrue();
        assertThat(timer(0).isRaised()).isFalse();

        board.time.set(150);
        clint.write(0x4008, 8, 300);
        assertThat(timer(1).isRaised()).isFalse();
        assertThat(clint.poll(200)).isEqualTo(300);
    }

    @Test
    void writingMtimecmpInThePastRaisesAtOnce() {
        board.time.set(500);
        clint.write(0x4000, 8, 10);
        assertThat(timer(0).isRaised()).isTrue();
    }

    @Test
    void thirtyTwoBitHalvesComposeMtimecmp() {
        board.time.set(5);
        // The usual RV32-safe sequence: high to all ones first, then low, then high.
        clint.write(0x4004, 4, 0xffff_ffffL);
        clint.write(0x4000, 4, 0x89ab_cdefL);
        clint.write(0x4004, 4, 0x1);
        assertThat(clint.read(0x4000, 8)).isEqualTo(0x1_89ab_cdefL);
        assertThat(clint.read(0x4000, 4)).isEqualTo(0x89ab_cdefL);
        assertThat(clint.read(0x4004, 4)).isEqualTo(0x1L);
        assertThat(clint.poll(5)).isEqualTo(0x1_89ab_cdefL);
    }

    @Test
    void earliestDeadlineAcrossHartsIsReturned() {
        clint.write(0x4000, 8, 900);
        clint.write(0x4008, 8, 400);
        assertThat(clint.poll(0)).isEqualTo(400);
        assertThat(clint.poll(400)).isEqualTo(900);
        assertThat(timer(1).isRaised()).isTrue();
        assertThat(timer(0).isRaised()).isFalse();
    }

    @Test
    void msipDrivesTheRightHartsSoftwareInterrupt() {
        clint.write(0x4, 4, 1);
        assertThat(software(1).isRaised()).isTrue();
        assertThat(software(0).isRaised()).isFalse();
        assertThat(clint.read(0x4, 4)).isEqualTo(1);
        clint.write(0x4, 4, 0xfffffffeL);
        assertThat(software(1).isRaised()).isFalse();
        assertThat(clint.read(0x4, 4)).isZero();
    }

    @Test
    void mtimeReadsThePlatformTimeAndIgnoresWrites() {
        board.time.set(0x1234_5678_9abcL);
        assertThat(clint.read(0xbff8, 8)).isEqualTo(0x1234_5678_9abcL);
        assertThat(clint.read(0xbff8, 4)).isEqualTo(0x5678_9abcL);
        assertThat(clint.read(0xbffc, 4)).isEqualTo(0x1234L);
        clint.write(0xbff8, 8, 0);
        assertThat(clint.read(0xbff8, 8)).isEqualTo(0x1234_5678_9abcL);
    }

    @Test
    void rejectsNarrowAndMisalignedAccesses() {
        assertThatThrownBy(() -> clint.read(0x4000, 1)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> clint.write(0x4002, 4, 0)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> clint.read(0x0, 8)).isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void resetLowersEverything() {
        clint.write(0x0, 4, 1);
        clint.write(0x4000, 8, 0);
        clint.reset();
        assertThat(software(0).isRaised()).isFalse();
        assertThat(timer(0).isRaised()).isFalse();
        assertThat(clint.read(0x4000, 8)).isEqualTo(-1L);
    }

    @Test
    void countsAccesses() {
        clint.read(0xbff8, 8);
        clint.read(0xbff8, 8);
        clint.write(0x0, 4, 0);
        assertThat(board.counters.snapshot().get("mmio", "clint-read")).isEqualTo(2);
        assertThat(board.counters.snapshot().get("mmio", "clint-write")).isEqualTo(1);
    }

    /** A VMM programming the guest's timer is not a guest access: it takes effect but is not counted. */
    @Test
    void hostWritesTakeEffectUncounted() {
        clint.hostWrite(0x4000, 8, 1234);

        assertThat(clint.read(0x4000, 8)).isEqualTo(1234);
        assertThat(board.counters.snapshot().get("mmio", "clint-write")).isZero();
        assertThat(board.counters.snapshot().get("mmio", "clint-read")).isEqualTo(1);
    }

    @Test
    void describesItselfLikeQemu() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        clint.describe(tree);
        RecordingDeviceTreeWriter.Node node = tree.node("clint@2000000");
        assertThat(node.strings("compatible")).containsExactly("sifive,clint0", "riscv,clint0");
        assertThat(node.cells("reg")).containsExactly(0, 0x0200_0000, 0, 0x10000);
        assertThat(node.cells("interrupts-extended")).containsExactly(1, 3, 1, 7, 2, 3, 2, 7);
    }
}
