package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.ExitAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.wfi;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest kernel's WFI with nothing pending makes its hart wait under both techniques: under trap its trap exit,
 * under bt the exit its callout requests, is answered with {@link ExitAction#WAIT_FOR_INTERRUPT} (the run loop then
 * lets time pass instead of running the guest's idle loop again at once), and the hart goes on after the WFI.
 */
final class WaitForInterruptTest {
    private static final int SIE = 0x104;

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aWfiWithNothingPendingIsAWait(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, SIE, 0), wfi(), ecall()); // nothing enabled, so nothing can be pending
        guest.start();

        HartExit exit;
        ExitAction action;
        int exits = 0;
        do { // the write to sie is an exit of its own under trap
            exit = guest.hart().run(1000);
            action = guest.hypervisor.handleExit(guest.hart(), exit);
        } while (action == ExitAction.RESUME && exit == HartExit.TRAP && ++exits < 10);

        assertThat(exit).isEqualTo(technique == FullVirtTechnique.BT ? HartExit.EXIT_REQUESTED : HartExit.TRAP);
        assertThat(action).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.counter(guest.emulation(), "wfi")).isEqualTo(1);
        assertThat(guest.runToSbiCall()).as("the ecall after the WFI").isNotNull();
    }

    /**
     * A waiting hart is not run again until an interrupt could wake it (else the run loop, which asks every round,
     * would run its idle loop back to WFI once per round of the other harts): one pending and enabled in the guest's
     * sie wakes it though sstatus.SIE is clear, as WFI does (Privileged spec, "Wait for Interrupt Instruction").
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aWaitingHartRunsAgainOnlyOnceAnEnabledInterruptIsPending(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        // sie = SEIE only, sstatus.SIE stays clear (as Linux's idle loop runs its WFI)
        guest.load(CODE, addi(T0, 0, 0x200), csrrw(0, SIE, T0), wfi(), ecall());
        guest.start();

        ExitAction action;
        int exits = 0;
        do {
            action = guest.hypervisor.handleExit(guest.hart(), guest.hart().run(1000));
        } while (action == ExitAction.RESUME && ++exits < 10);
        assertThat(action).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("nothing pending").isFalse();

        guest.hart().setCsrBits(CsrNumbers.MIP, 1L << 9); // the supervisor external line, masked in the real mie
        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("external pending and enabled in sie").isTrue();
        assertThat(guest.runToSbiCall()).as("the ecall after the WFI").isNotNull();
        assertThat(guest.counter(guest.emulation(), "wfi")).isEqualTo(1);
    }
}
