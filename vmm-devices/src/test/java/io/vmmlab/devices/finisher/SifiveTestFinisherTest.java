package io.vmmlab.devices.finisher;

import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class SifiveTestFinisherTest {
    private final DeviceContexts board = new DeviceContexts(1);
    private final SifiveTestFinisher finisher = (SifiveTestFinisher) new SifiveTestProvider().create(
            board.context("test0", 0x10_0000L, 0x1000, 0), new DeviceSpec("sifive-test", Map.of()));

    @Test
    void recordsNothingUntilTheGuestAsks() {
        assertThat(finisher.event()).isEmpty();
        finisher.write(0, 4, 0x1234);
        finisher.write(4, 4, 0x5555);
        assertThat(finisher.event()).isEmpty();
        assertThat(finisher.read(0, 4)).isZero();
        assertThat(board.control.requests()).isEmpty();
    }

    @Test
    void passFailAndReset() {
        finisher.write(0, 4, 0x5555);
        assertThat(finisher.event()).contains(new FinisherEvent(FinisherEvent.Kind.PASS, 0));
        finisher.write(0, 4, (42L << 16) | 0x3333);
        assertThat(finisher.event()).contains(new FinisherEvent(FinisherEvent.Kind.FAIL, 42));
        finisher.write(0, 4, 0x7777);
        assertThat(finisher.event()).contains(new FinisherEvent(FinisherEvent.Kind.RESET, 0));
        finisher.reset();
        assertThat(finisher.event()).isEmpty();
        assertThat(board.control.requests()).containsExactly("power-off 0", "power-off 42", "reset");
    }

    @Test
    void failureWithoutCodeStillReportsFailure() {
        finisher.write(0, 4, 0x3333);
        assertThat(board.control.requests()).containsExactly("power-off 1");
    }

    @Test
    void failureCodeUsesTheUpperSixteenBits() {
        finisher.write(0, 4, 0xffff_3333L);
        assertThat(finisher.event()).contains(new FinisherEvent(FinisherEvent.Kind.FAIL, 0xffff));
    }

    @Test
    void describesTheTestNodeAndItsSysconUsers() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        finisher.describe(tree);
        RecordingDeviceTreeWriter.Node test = tree.node("test@100000");
        int phandle = RecordingDeviceTreeWriter.FIRST_ALLOCATED_PHANDLE;
        assertThat(test.cells("phandle")).containsExactly(phandle);
        assertThat(test.strings("compatible")).containsExactly("sifive,test1", "sifive,test0", "syscon");
        assertThat(test.cells("reg")).containsExactly(0, 0x10_0000, 0, 0x1000);

        RecordingDeviceTreeWriter.Node poweroff = tree.node("poweroff");
        assertThat(poweroff.strings("compatible")).isEqualTo(List.of("syscon-poweroff"));
        assertThat(poweroff.cells("regmap")).containsExactly(phandle);
        assertThat(poweroff.cells("offset")).containsExactly(0);
        assertThat(poweroff.cells("value")).containsExactly(0x5555);

        RecordingDeviceTreeWriter.Node reboot = tree.node("reboot");
        assertThat(reboot.strings("compatible")).isEqualTo(List.of("syscon-reboot"));
        assertThat(reboot.cells("regmap")).containsExactly(phandle);
        assertThat(reboot.cells("value")).containsExactly(0x7777);
    }
}
