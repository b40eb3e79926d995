package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.sbi.SbiCall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.S2;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.T3;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.csrrc;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.lui;
import static io.vmmlab.cpu.testing.Assembler.sret;
import static io.vmmlab.cpu.testing.FloatAssembler.D;
import static io.vmmlab.cpu.testing.FloatAssembler.RNE;
import static io.vmmlab.cpu.testing.FloatAssembler.fcvtFromInteger;
import static io.vmmlab.cpu.testing.FloatAssembler.fmvFromInteger;
import static io.vmmlab.cpu.testing.FloatAssembler.fld;
import static io.vmmlab.cpu.testing.FloatAssembler.flw;
import static io.vmmlab.cpu.testing.FloatAssembler.fsd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest's sstatus.FS under full virtualization (privileged spec, "Extension Context Status in mstatus"): the
 * guest kernel runs deprivileged, so the VMM makes the real FS follow the guest's virtual one and shows the guest the
 * Dirty state its floating-point instructions leave on the real hart.
 */
final class FloatingPointVirtualizationTest {
    private static final int SSTATUS = 0x100;
    private static final int STVEC = 0x105;
    private static final int SEPC = 0x141;
    private static final int SCAUSE = 0x142;
    private static final int SATP = 0x180;
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

    /** A Dirty-to-Clean write with no Off in between (no rebinding in between either) stands too. */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aCleanWriteStraightAfterDirtyStands(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1),
                lui(T0, 0x2), csrrs(0, SSTATUS, T0), // FS = Initial
                FCVT_D_L_F1_A0,                      // Dirty on the real hart
                csrrc(0, SSTATUS, T0),               // Dirty (3) -> Clean (2): clears bit 13 only
                csrrs(A3, SSTATUS, 0),
                ecall());
        guest.start();

        guest.runToSbiCall();

        assertThat(guest.hart().register(A3) & (FS | SD)).isEqualTo(FS_CLEAN);
    }

    /** Guest user code that changes FP state leaves the guest's FS Dirty for its kernel's trap handler. */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void floatingPointInGuestUserModeIsDirtyForTheKernel(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        long user = GuestHarness.CODE + 0x400;
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1),
                lui(T0, 0x4), csrrs(0, SSTATUS, T0), // FS = Clean
                csrrw(0, SEPC, S2), addi(T1, 0, 0x100), csrrc(0, SSTATUS, T1), // sret to user mode
                sret());
        guest.load(user, FCVT_D_L_F1_A0, ecall());
        guest.load(GuestHarness.HANDLER, csrrs(A0, SCAUSE, 0), csrrs(A1, SSTATUS, 0), ecall());
        guest.start();
        guest.hart().setRegister(S2, user);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("scause").isEqualTo(TrapCause.ECALL_FROM_USER);
        assertThat(call.a1() & (FS | SD)).as("sstatus in the handler").isEqualTo(FS | SD);
    }

    /**
     * An FSD into a page table the VMM traces (write-protected in the shadow) is emulated like SD: the guest's
     * write happens, from the f register (the access-fault it got before was not the architecture's).
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aFloatingPointStoreIntoATracedPageTableIsEmulated(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        long slot = GuestHarness.ROOT + 100 * 8; // an unused entry of the active root table: a traced page
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0),
                lui(T1, 0x2), csrrs(0, SSTATUS, T1), // FS = Initial
                fmvFromInteger(D, 1, T2),            // f1 = 7 (as bits)
                fsd(1, T3, 0),
                addi(A0, 0, 99),
                ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(T2, 7);
        guest.hart().setRegister(T3, slot);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("no trap").isEqualTo(99);
        assertThat(guest.machine.memory().read64(slot)).isEqualTo(7);
        assertThat(guest.counter("shadow", "pte-write-traced")).isEqualTo(1);
    }

    /**
     * FP loads and stores to a device are emulated like integer ones: FLW NaN-boxes the word, FLD takes all eight
     * bytes, FSD writes the f register; the loads leave the guest's FS Dirty, as they would on a real hart.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void floatingPointAccessesToADeviceAreEmulated(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imafdc"));
        RecordingMmioDevice device = new RecordingMmioDevice(0x1122_3344_4049_0fdbL);
        guest.machine.mmio().map("dev", new AddressRange(0x1000_0000L, 0x1000), device);
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1),
                lui(T0, 0x4), csrrs(0, SSTATUS, T0), // FS = Clean
                flw(1, T1, 8), fld(2, T1, 16), fsd(2, T1, 24),
                csrrs(A0, SSTATUS, 0), ecall());
        guest.start();
        guest.hart().setRegister(T1, 0x1000_0000L);

        SbiCall call = guest.runToSbiCall();

        assertThat(guest.hart().floatRegister(1)).isEqualTo(0xffff_ffff_4049_0fdbL);
        assertThat(guest.hart().floatRegister(2)).isEqualTo(0x1122_3344_4049_0fdbL);
        assertThat(device.writes()).containsExactly(new RecordingMmioDevice.Access(24, 8, 0x1122_3344_4049_0fdbL));
        assertThat(call.a0() & FS).as("the guest's sstatus.FS").isEqualTo(FS);
        assertThat(guest.counter("mmio-exit", "dev-read")).isEqualTo(2);
    }
}
