package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.cpu.InterpreterCpuProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Set;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.RA;
import static io.vmmlab.cpu.testing.Assembler.S0;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.beq;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.fenceI;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.jalr;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static io.vmmlab.cpu.testing.Assembler.wfi;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest kernel's FENCE.I no longer flushes the translation cache or the hart's decoded code: whatever wrote the
 * guest's code before it (the host, another hart, the guest through a TLB entry made before the page held translated
 * code) must still be seen after it, under both techniques.
 */
final class FenceInstructionsTest {
    /** A function in a page of its own, so that writing it touches no other code. */
    private static final int STVEC = 0x105;
    private static final long FUNCTION = CODE + 0x1000;
    private static final long FLAG = GuestHarness.DATA;
    private static final long STORE = GuestHarness.DATA + 0x1000;

    private GuestHarness guest;

    /**
     * The kernel calls the function, waits for the flag, runs FENCE.I and calls it again: a0 is the second result,
     * a1 the first.
     */
    private void startWaitingKernel(FullVirtTechnique technique) {
        guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), jal(RA, (int) (FUNCTION - CODE - 4)), addi(A1, A0, 0),
                ld(T2, S0, 0), beq(T2, 0, -4), fenceI(), jal(RA, (int) (FUNCTION - CODE - 24)), ecall());
        guest.load(FUNCTION, addi(A0, 0, 1), jalr(0, RA, 0));
        guest.start();
        guest.hart().setRegister(S0, FLAG);
        guest.runUntil(A1, 1);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aHostWriteIntoKernelCodeIsSeenAfterFenceI(FullVirtTechnique technique) {
        startWaitingKernel(technique);

        guest.machine.hostWrite32(FUNCTION, addi(A0, 0, 7)); // an SBI console read into the guest's code, say
        guest.machine.memory().write64(FLAG, 1);
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("the call after FENCE.I").isEqualTo(7);
        assertThat(guest.counter("bt", "cache-flush")).as("FENCE.I flushes no cache").isZero();
    }

    /**
     * Another hart over the same RAM stores into the kernel's code (the hart here runs in machine mode, outside the
     * VMM: under trap the kernel's code is decoded from guest RAM by the hart, whose FENCE.I must see the store).
     */
    @ParameterizedTest
    @EnumSource(value = FullVirtTechnique.class, names = "TRAP")
    void anotherHartsStoreIntoKernelCodeIsSeenAfterFenceI(FullVirtTechnique technique) {
        startWaitingKernel(technique);
        Hart other = new InterpreterCpuProvider().create(new HartConfig(1, IsaSpec.parse("rv64imac"),
                FakeMachine.RAM_BASE, Set.of()), guest.machine.hartResources());
        guest.load(STORE, sw(T0, T1, 0), wfi());
        other.setPc(STORE);
        other.setRegister(T0, addi(A0, 0, 8));
        other.setRegister(T1, FUNCTION);
        assertThat(other.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        guest.machine.memory().write64(FLAG, 1);
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("the call after FENCE.I").isEqualTo(8);
    }

    /**
     * The kernel stores into the function's page while it is data (under bt the shadow entry and the hart's TLB entry
     * are then writable), calls the function (its page gets translated code and is write-protected), rewrites it and
     * runs FENCE.I: the rewrite must be heard although FENCE.I no longer flushes the cache.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aWritableEntryMadeBeforeThePageHeldCodeDoesNotHideAStore(FullVirtTechnique technique) {
        guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), sw(T0, T1, 0), jal(RA, (int) (FUNCTION - CODE - 8)),
                addi(A1, A0, 0), sw(A2, T1, 0), fenceI(), jal(RA, (int) (FUNCTION - CODE - 24)), ecall());
        guest.load(FUNCTION, addi(A0, 0, 1), jalr(0, RA, 0));
        guest.start();
        guest.hart().setRegister(T0, addi(A0, 0, 1));
        guest.hart().setRegister(T1, FUNCTION);
        guest.hart().setRegister(A2, addi(A0, 0, 9));

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a1()).as("the first call").isEqualTo(1);
        assertThat(call.a0()).as("the call after the rewrite and FENCE.I").isEqualTo(9);
    }
}
