package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.ExitAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
}
