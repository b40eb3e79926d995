package io.vmmlab.runtime.nativevm;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.api.testing.SimpleCounters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A hart of a native machine that waits in WFI stays off the run loop until an interrupt is pending and enabled, as
 * a real hart stays halted: the run loop asks every round, and a hart run again anyway would go round its idle loop
 * back to WFI once per round another hart is busy (Linux on two harts did, thousands of times per boot).
 */
class NativeWaitForInterruptTest {
    private final Hart hart = mock(Hart.class);
    private final NativeHypervisor hypervisor = new NativeHypervisor((call, platform) -> {
        throw new AssertionError("no SBI call expected");
    }, new RecordingConsole(), new SimpleCounters());

    NativeWaitForInterruptTest() {
        Machine machine = mock(Machine.class);
        when(machine.harts()).thenReturn(List.of(hart));
        when(hart.hartId()).thenReturn(0);
        hypervisor.start(machine, new BootInfo(0x8000_0000L, PrivilegeMode.MACHINE,
                new AddressRange(0x8fe0_0000L, 0x1000), Optional.empty(), Optional.empty(), 0));
    }

    private void interrupts(long pending, long enabled) {
        when(hart.readCsr(CsrNumbers.MIP)).thenReturn(pending);
        when(hart.readCsr(CsrNumbers.MIE)).thenReturn(enabled);
    }

    @Test
    void aHartInWfiRunsAgainOnlyOnceAnInterruptIsPendingAndEnabled() {
        interrupts(0, 1L << 3);
        assertThat(hypervisor.isRunnable(hart)).isTrue();

        assertThat(hypervisor.handleExit(hart, HartExit.WAIT_FOR_INTERRUPT)).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);

        assertThat(hypervisor.isRunnable(hart)).as("nothing pending").isFalse();
        interrupts(1L << 3, 1L << 3); // a software interrupt (an IPI), whatever mstatus.MIE says
        assertThat(hypervisor.isRunnable(hart)).isTrue();
    }

    @Test
    void aHartThatDidNotWaitRuns() {
        interrupts(0, 0);

        assertThat(hypervisor.handleExit(hart, HartExit.BUDGET_EXHAUSTED)).isEqualTo(ExitAction.RESUME);

        assertThat(hypervisor.isRunnable(hart)).isTrue();
    }
}
