package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.cpu.testing.Assembler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.S0;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.S2;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.T3;
import static io.vmmlab.cpu.testing.Assembler.T4;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.lw;
import static io.vmmlab.cpu.testing.Assembler.sd;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static io.vmmlab.cpu.testing.Assembler.sret;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static io.vmmlab.fullvirt.GuestHarness.DATA;
import static io.vmmlab.fullvirt.GuestHarness.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour common to both techniques: each test runs under trap-and-emulate and under binary translation. */
final class FullVirtHypervisorTest {
    private static final int STVEC = 0x105;
    private static final int SSTATUS = 0x100;
    private static final int SEPC = 0x141;
    private static final int SATP = 0x180;

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void theGuestKernelRunsInPhysicalUserModeAndItsCsrWriteIsEmulated(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), addi(T0, 0, 2), csrrw(0, SSTATUS, T0), csrrs(A0, SSTATUS, 0), ecall());
        guest.start();
        assertThat(guest.hart().privilege()).isEqualTo(PrivilegeMode.USER);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(2L | 2L << 32);
        assertThat(guest.counter(guest.emulation(), "csrrw-sstatus")).isEqualTo(1);
        assertThat(guest.counter(guest.emulation(), "csrrs-sstatus")).isEqualTo(1);
        assertThat(guest.hart().readCsr(CsrNumbers.SSTATUS) & 2).as("the real SIE is untouched").isZero();
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void sretEntersVirtualUserModeAndAUserEcallIsReflectedToTheGuestKernel(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long user = CODE + 0x100;
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SEPC, T1), sret());
        guest.load(user, ecall());
        guest.start();
        guest.hart().setRegister(T1, user);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.ECALL_FROM_USER);
        assertThat(call.a2()).isEqualTo(user);
        assertThat(guest.counter(guest.emulation(), "sret")).isEqualTo(1);
        assertThat(guest.counter("reflect", "ecall-from-u")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aShadowFaultIsFilledFromTheGuestTablesIntoVmmMemory(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.machine.memory().write64(DATA, 0x1234_5678_9abc_def0L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sfenceVma(0, 0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, DATA);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(0x1234_5678_9abc_def0L);
        assertThat(guest.counter("shadow", "fault-fill")).isGreaterThanOrEqualTo(2);
        assertThat(guest.counter(guest.emulation(), "csrrw-satp")).isEqualTo(1);
        assertThat(guest.counter(guest.emulation(), "sfence-vma")).isEqualTo(1);
        long realRoot = Pte.rootPpn(guest.hart().readCsr(CsrNumbers.SATP)) << 12;
        assertThat(guest.machine.vmmMemory().orElseThrow().contains(realRoot, 4096)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestPteWriteIsTracedAndInvalidatesTheShadowEntry(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0xc000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(DATA, 42);
        long alias = 0xc000_0000L + (DATA - 0x8000_0000L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S0, 0), sd(T2, T3, 0), ld(A0, S0, 0),
                ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, alias);
        guest.hart().setRegister(T3, ROOT + 3 * 8);
        guest.hart().setRegister(T2, 0);

        SbiCall call = guest.runToSbiCall();

        assertThat(guest.hart().register(T1)).as("the alias worked before the write").isEqualTo(42);
        assertThat(guest.counter("shadow", "pte-write-traced")).isEqualTo(1);
        assertThat(guest.machine.memory().read64(ROOT + 3 * 8)).isZero();
        assertThat(call.a0()).as("the stale shadow entry is gone").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(alias);
    }

    /**
     * A guest leaf PTE write makes the harts drop that page's translations (only those: PendingTlbFlushTest): its
     * stale translation is gone on the very next access, while its neighbour still loads.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestLeafPteWriteDropsThatPagesTranslation(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long level1 = ROOT + 0x1000;
        long level0 = ROOT + 0x2000;
        long first = 0xc000_5000L;
        long second = 0xc000_6000L;
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.machine.memory().write64(ROOT + 3 * 8, (level1 >>> 12) << 10 | Pte.V);
        guest.machine.memory().write64(level1, (level0 >>> 12) << 10 | Pte.V);
        guest.machine.memory().write64(level0 + 5 * 8, (DATA >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(level0 + 6 * 8, ((DATA + 0x1000) >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(DATA, 41);
        guest.machine.memory().write64(DATA + 0x1000, 42);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S0, 0), ld(T2, S2, 0),
                sd(0, T3, 0), ld(T4, S2, 0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, first);
        guest.hart().setRegister(S2, second);
        guest.hart().setRegister(T3, level0 + 5 * 8);

        SbiCall call = guest.runToSbiCall();

        assertThat(guest.hart().register(T1)).as("the first page before the write").isEqualTo(41);
        assertThat(guest.hart().register(T2)).as("the second page before the write").isEqualTo(42);
        assertThat(guest.hart().register(T4)).as("the second page after the write").isEqualTo(42);
        assertThat(guest.counter("shadow", "pte-write-traced")).isEqualTo(1);
        assertThat(call.a0()).as("the first page's stale translation is gone").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aStoreConditionalIntoATracedPageTableHonoursTheReservation(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        long slot = ROOT + 100 * 8; // an unused entry of the active root table: a traced page
        int lr = 0b00010;
        int sc = 0b00011;
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0),
                Assembler.amo(sc, true, T1, T3, T2), // no reservation: must fail and not write
                Assembler.amo(lr, true, A2, T3, 0),
                Assembler.amo(sc, true, S0, T3, T2), // the reservation holds: must succeed
                ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(T2, 7);
        guest.hart().setRegister(T3, slot);

        guest.runToSbiCall();

        assertThat(guest.hart().register(T1)).as("SC without LR fails").isEqualTo(1);
        assertThat(guest.hart().register(A2)).as("and did not write").isZero();
        assertThat(guest.hart().register(S0)).as("SC after LR succeeds").isZero();
        assertThat(guest.machine.memory().read64(slot)).isEqualTo(7);
        assertThat(guest.counter("shadow", "pte-write-traced")).as("both trapped, the failed one too").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aDeviceWriteIntoAGuestPageTableDropsTheShadowEntriesDerivedFromIt(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0xc000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(DATA, 42);
        long alias = 0xc000_0000L + (DATA - 0x8000_0000L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S0, 0), addi(0, 0, 0), ld(A0, S0, 0),
                ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, alias);
        guest.runUntil(T1, 42);

        guest.machine.dmaWrite64(ROOT + 3 * 8, 0);
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("the stale shadow entry is gone").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(alias);
        assertThat(guest.counter("shadow", "dma-write-traced")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void mmioIsNeverMappedAndEveryAccessIsEmulatedOnTheBus(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        RecordingMmioDevice device = new RecordingMmioDevice(0x8000_0001L);
        guest.machine.mmio().map("dev", new AddressRange(0x1000_0000L, 0x1000), device);
        guest.load(CODE, csrrw(0, STVEC, S1), sw(T0, T1, 4), lw(A0, T1, 8), sw(T0, T1, 4), ecall());
        guest.start();
        guest.hart().setRegister(T0, 0x55);
        guest.hart().setRegister(T1, 0x1000_0000L);

        SbiCall call = guest.runToSbiCall();

        assertThat(device.writes()).containsExactly(new RecordingMmioDevice.Access(4, 4, 0x55),
                new RecordingMmioDevice.Access(4, 4, 0x55));
        assertThat(call.a0()).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(guest.counter("mmio-exit", "dev-write")).isEqualTo(2);
        assertThat(guest.counter("mmio-exit", "dev-read")).isEqualTo(1);
        // The exit is a trap round trip; emulating the access is the device's own counter's to price.
        assertThat(guest.machine.counters().snapshot().values())
                .containsKey(new CounterKey("mmio-exit", "dev-write", CostCategory.TRAP_ROUND_TRIP));
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void theClintIsTheVmmsAndAGuestStoreToItIsAnAccessFault(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        RecordingMmioDevice clint = new RecordingMmioDevice(0);
        guest.machine.mmio().map("clint", new AddressRange(ClintRegisters.BASE, ClintRegisters.SIZE), clint);
        guest.load(CODE, csrrw(0, STVEC, S1), sw(T0, T1, 0), ecall());
        guest.start();
        guest.hart().setRegister(T1, ClintRegisters.msip(1));

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(ClintRegisters.msip(1));
        assertThat(clint.writes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestCannotLoadFromVmmMemoryWithTranslationOff(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(S0, GuestHarness.VMM_BASE);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(GuestHarness.VMM_BASE);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestCannotStoreIntoItsShadowTables(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), sd(T2, S0, 0), ecall());
        guest.start();
        long shadowRoot = Pte.rootPpn(guest.hart().readCsr(CsrNumbers.SATP)) << 12;
        guest.hart().setRegister(S0, shadowRoot);
        guest.hart().setRegister(T2, 0xdead_beefL);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(guest.machine.physicalMemory().read64(shadowRoot)).isNotEqualTo(0xdead_beefL);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestSuperpageThatCoversVmmMemoryDoesNotReachIt(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0xc000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RW);
        long intoVmm = 0xc000_0000L + (GuestHarness.VMM_BASE - 0x8000_0000L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, intoVmm);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(intoVmm);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aGuestPageTablePointerIntoVmmMemoryIsRefused(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.machine.memory().write64(ROOT + 3 * 8, (GuestHarness.VMM_BASE >>> 12) << 10 | 1);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, 0xc000_0000L);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }

    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void guestUserCodeCannotReachKernelOnlyPages(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0x4000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX | 0x10);
        long user = 0x4000_0000L + 0x100;
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), csrrw(0, SEPC, T1), sret());
        guest.load(CODE + 0x100, ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(T1, user);
        guest.hart().setRegister(S0, DATA);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(DATA);
        assertThat(call.a2()).isEqualTo(user);
    }
}
