package io.vmmlab.runtime.board;

import io.vmmlab.api.hypervisor.GuestOutcome.Status;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.testing.FakeMachine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HostTargetInterfaceTest {
    private static final long PAGE = 0x8000_1000L;
    private static final long TOHOST = 0x8000_1040L;
    private static final long TOHOST_OFFSET = TOHOST - PAGE;

    private final FakeMachine machine = new FakeMachine(0x4000, 0);
    private final FlatRam memory = machine.physicalMemory();
    private final HostTargetInterface htif = new HostTargetInterface(memory, PAGE, TOHOST, machine);

    @Test
    void passIsPoweredOff() {
        htif.write(TOHOST_OFFSET, 8, 1);

        assertThat(machine.stops()).containsExactly(
                new GuestOutcome(Status.POWERED_OFF, "tohost: test passed"));
        assertThat(memory.read64(TOHOST)).isEqualTo(1);
    }

    @Test
    void aFailingTestCaseIsAGuestFailureNamingTheCase() {
        htif.write(TOHOST_OFFSET, 8, (3 << 1) | 1);

        assertThat(machine.stops()).containsExactly(
                new GuestOutcome(Status.GUEST_FAILED, "tohost: test case 3 failed (tohost=0x7)"));
        assertThat(machine.stops().get(0).exitCode()).isEqualTo(1);
    }

    @Test
    void aThirtyTwoBitWriteOfTheLowWordReports() {
        htif.write(TOHOST_OFFSET, 4, (5 << 1) | 1);

        assertThat(machine.stops()).singleElement()
                .satisfies(outcome -> {
                    assertThat(outcome.status()).isEqualTo(Status.GUEST_FAILED);
                    assertThat(outcome.message()).contains("test case 5");
                });
    }

    @Test
    void aThirtyTwoBitWriteUsesOnlyItsLowThirtyTwoBits() {
        htif.write(TOHOST_OFFSET, 4, 0xffff_ffff_0000_0001L);

        assertThat(machine.stops()).containsExactly(new GuestOutcome(Status.POWERED_OFF, "tohost: test passed"));
        assertThat(memory.read64(TOHOST)).isEqualTo(1);
    }

    @Test
    void aLargeTestCaseNumberIsReportedInFull() {
        htif.write(TOHOST_OFFSET, 8, (0x1_0000_0000L << 1) | 1);

        assertThat(machine.stops()).singleElement().extracting(GuestOutcome::message)
                .isEqualTo("tohost: test case 4294967296 failed (tohost=0x200000001)");
    }

    @Test
    void zeroAndEvenValuesDoNotStopTheMachine() {
        htif.write(TOHOST_OFFSET, 8, 0);
        htif.write(TOHOST_OFFSET, 8, 2);
        htif.write(TOHOST_OFFSET, 8, 0x100);

        assertThat(machine.stops()).isEmpty();
        assertThat(memory.read64(TOHOST)).isEqualTo(0x100);
    }

    @Test
    void theHighWordDoesNotReport() {
        htif.write(TOHOST_OFFSET + 4, 4, 1);

        assertThat(machine.stops()).isEmpty();
        assertThat(memory.read64(TOHOST)).isEqualTo(1L << 32);
    }

    @Test
    void otherWordsPassThroughToRam() {
        htif.write(0, 8, 0x1122_3344_5566_7788L);
        htif.write(TOHOST_OFFSET + 8, 8, 1);
        htif.write(0xffc, 4, 0xdead_beef);
        htif.write(0x10, 1, 0x1ff);

        assertThat(machine.stops()).isEmpty();
        assertThat(memory.read64(PAGE)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(memory.read64(TOHOST + 8)).isEqualTo(1);
        assertThat(memory.read32(PAGE + 0xffc)).isEqualTo(0xdead_beef);
        assertThat(memory.read8(PAGE + 0x10)).isEqualTo(0xff);
    }

    @Test
    void readsComeFromRam() {
        memory.write64(PAGE + 0x20, 0x8877_6655_4433_2211L);

        assertThat(htif.read(0x20, 8)).isEqualTo(0x8877_6655_4433_2211L);
        assertThat(htif.read(0x20, 4)).isEqualTo(0x4433_2211L);
        assertThat(htif.read(0x27, 1)).isEqualTo(0x88);
        assertThat(htif.read(0x24, 4)).isEqualTo(0x8877_6655L);
    }

    @Test
    void accessesBeyondRamStillFail() {
        HostTargetInterface lastPage = new HostTargetInterface(memory, 0x8000_3000L, 0x8000_3000L, machine);

        assertThatThrownBy(() -> lastPage.write(0x1000, 4, 1)).isInstanceOf(MemoryAccessException.class);
        assertThat(machine.stops()).isEmpty();
    }
}
