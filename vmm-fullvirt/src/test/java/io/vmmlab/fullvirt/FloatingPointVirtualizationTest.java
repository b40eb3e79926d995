package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.sbi.SbiCall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.csrrc;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.lui;
import static io.vmmlab.cpu.testing.FloatAssembler.D;
import static io.vmmlab.cpu.testing.FloatAssembler.RNE;
import static io.vmmlab.cpu.testing.FloatAssembler.fcvtFromInteger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest's sstatus.FS under full virtualization (privileged spec, "Extension Context Status in mstatus"): the
 * guest kernel runs deprivileged, so the VMM makes the real FS follow the guest's virtual one and shows the guest the
 * Dirty state its floating-point instructions leave on the real hart.
 */
final class FloatingPointVirtualizationTest {
    private static final int SSTATUS = 0x100;
    private static final int STVEC = 0x105;
    private static final long FS = 3L << 13;
    private static final long FS_CLEAN = 2L << 13;
    private static final long SD = 1L << 63;
    private static final int FCVT_D_L_F1_A0 = fcvtFromInteger(D, 2, RNE, 1, A0); // writes f1

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void withFsOffAFloatingPointInstructionIsAnIllegalInstructionForTheGuestKernel(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1), FCVT_D_L_F1_A0, ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("scause").isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(call.a1()).as("stval").isEqualTo(FCVT_D_L_F1_A0 & 0xffff_ffffL);
        assertThat(call.a2()).as("sepc").isEqualTo(GuestHarness.CODE + 4);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void floatingPointStateChangesMakeTheGuestsFsDirtyAndItsCleanWriteStands(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1),
                lui(T0, 0x2), csrrs(0, SSTATUS, T0), // FS = Initial
                FCVT_D_L_F1_A0,                      // the hart makes FS Dirty
                lui(T0, 0x6), csrrc(0, SSTATUS, T0), // FS = Off (the kernel saved its registers) ...
                lui(T0, 0x4), csrrs(0, SSTATUS, T0), // ... then Clean
                csrrs(A3, SSTATUS, 0),               // a3: Clean stands
                FCVT_D_L_F1_A0,
                csrrs(A0, SSTATUS, 0),               // a0: Dirty again
                ecall());
        guest.start();
        guest.hart().setRegister(A0, 5);

        SbiCall call = guest.runToSbiCall();

        assertThat(guest.hart().register(A3) & (FS | SD)).as("after the Clean write").isEqualTo(FS_CLEAN);
        assertThat(call.a0() & (FS | SD)).as("after another FP write").isEqualTo(FS | SD);
    }
}
