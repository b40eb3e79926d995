package io.vmmlab.api.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.testing.RecordingConsole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/** How the legacy shutdown, SRST and the last hart's hart_stop end a machine through an {@link SbiPlatform}. */
class SystemResetTest {
    @Test
    void aPlatformThatDoesNotTellThemApartShutsDownThroughSrst() {
        SbiPlatform platform = mock(SbiPlatform.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));

        platform.legacyShutdown();

        verify(platform).systemReset(0, 0);
    }

    @Test
    void aMachinePlatformStopsTheMachineWithAnOutcomeNamingTheCall() {
        Machine machine = mock(Machine.class);
        when(machine.harts()).thenReturn(List.of(mock(Hart.class)));
        MachineSbiPlatform platform = mock(MachineSbiPlatform.class, withSettings()
                .useConstructor(machine, new RecordingConsole()).defaultAnswer(CALLS_REAL_METHODS));

        platform.legacyShutdown();
        platform.systemReset(1, 0);

        verify(machine).stop(GuestOutcome.ofLegacyShutdown());
        verify(machine).stop(GuestOutcome.ofSystemReset(1, 0));
    }

    @Test
    void theLastRunningHartStoppingItselfStopsTheMachine() {
        Machine machine = mock(Machine.class);
        when(machine.harts()).thenReturn(List.of(mock(Hart.class), mock(Hart.class)));
        MachineSbiPlatform platform = mock(MachineSbiPlatform.class, withSettings()
                .useConstructor(machine, new RecordingConsole()).defaultAnswer(CALLS_REAL_METHODS));
        platform.markStarted(0);
        platform.markStarted(1);

        platform.stopHart(1);
        verify(machine, never()).stop(any());
        platform.stopHart(0);

        verify(machine).stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED,
                "every hart has stopped itself (SBI HSM hart_stop): none is left to start another"));
    }
}
