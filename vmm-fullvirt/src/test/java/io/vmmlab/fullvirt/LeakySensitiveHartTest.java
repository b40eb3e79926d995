package io.vmmlab.fullvirt;

import io.vmmlab.api.sbi.SbiCall;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrsi;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's point made runnable: on a hart with {@code xleakysensitive}, U-mode accesses to sstatus do not trap
 * (they read the real sstatus and drop writes, as x86's PUSHF/POPF do outside ring 0). Trap-and-emulate never sees
 * them and the guest kernel's interrupt enable is lost; binary translation turned them into callouts beforehand.
 */
final class LeakySensitiveHartTest {
    private static final String LEAKY = "rv64imac_xleakysensitive";
    private static final int STVEC = 0x105;
    private static final int SSTATUS = 0x100;
    private static final long SIE = 2;

    private static SbiCall enableInterruptsAndReadThemBack(GuestHarness guest) {
        guest.load(CODE, csrrw(0, STVEC, S1), csrrsi(0, SSTATUS, 2), csrrs(A0, SSTATUS, 0), ecall());
        guest.start();
        return guest.runToSbiCall();
    }

    @Test
    void underTrapAndEmulateTheGuestKernelSilentlyLosesItsInterruptEnable() {
        GuestHarness guest = new GuestHarness(FullVirtTechnique.TRAP, LEAKY);

        SbiCall call = enableInterruptsAndReadThemBack(guest);

        assertThat(call.a0() & SIE).as("SIE read back").isZero();
        assertThat(guest.counter("trap-emulate", "csrrsi-sstatus")).as("the VMM never saw it").isZero();
        assertThat(guest.counter("trap-emulate", "csrrs-sstatus")).isZero();
    }

    @Test
    void underBinaryTranslationTheSameKernelRunsCorrectly() {
        GuestHarness guest = new GuestHarness(FullVirtTechnique.BT, LEAKY);

        SbiCall call = enableInterruptsAndReadThemBack(guest);

        assertThat(call.a0() & SIE).isEqualTo(SIE);
        assertThat(guest.counter("callout", "csrrsi-sstatus")).isEqualTo(1);
        assertThat(guest.counter("callout", "csrrs-sstatus")).isEqualTo(1);
    }

    @Test
    void onAnOrdinaryHartTrapAndEmulateSeesTheSameInstructions() {
        GuestHarness guest = new GuestHarness(FullVirtTechnique.TRAP);

        SbiCall call = enableInterruptsAndReadThemBack(guest);

        assertThat(call.a0() & SIE).isEqualTo(SIE);
        assertThat(guest.counter("trap-emulate", "csrrsi-sstatus")).isEqualTo(1);
    }
}
