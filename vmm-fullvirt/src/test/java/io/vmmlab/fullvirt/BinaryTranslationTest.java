package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.fullvirt.translate.TranslationCache;
import io.vmmlab.cpu.testing.FakeMachines;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.RA;
import static io.vmmlab.cpu.testing.Assembler.S0;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.auipc;
import static io.vmmlab.cpu.testing.Assembler.beq;
import static io.vmmlab.cpu.testing.Assembler.cAddi;
import static io.vmmlab.cpu.testing.Assembler.cBnez;
import static io.vmmlab.cpu.testing.Assembler.compressedPair;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrsi;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.custom0;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.fenceI;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.jalr;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sret;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static io.vmmlab.fullvirt.GuestHarness.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/** Technique bt: translated guest-kernel code, its fix-ups, callouts, invalidation and the cache's isolation. */
final class BinaryTranslationTest {
    private static final int STVEC = 0x105;
    private static final int SEPC = 0x141;
    private static final int SATP = 0x180;
    private static final int SIE = 0x104;
    private static final int SSTATUS = 0x100;
    private static final int C_NOP = 0x0001;

    private final GuestHarness guest = new GuestHarness(FullVirtTechnique.BT);

    @Test
    void aHartStoppedByAnInlineSbiCallRunsNothingAfterIt() {
        GuestHarness guest = new GuestHarness(FullVirtTechnique.BT, GuestHarness.machine("rv64imac"),
                (platform, call) -> platform.stopHart(call.hartId())); // SBI HSM hart_stop, which does not return
        guest.load(GuestHarness.CODE, csrrw(0, STVEC, S1), ecall(), addi(A2, 0, 5), ecall());
        guest.start();

        for (int round = 0; round < 100 && guest.hypervisor.isRunnable(guest.hart()); round++) {
            guest.hypervisor.handleExit(guest.hart(), guest.hart().run(1_000));
        }

        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("stopped").isFalse();
        assertThat(guest.hart().register(A2)).as("nothing after the call ran").isZero();
        assertThat(guest.calls).hasSize(1);
    }

    @Test
    void pcRelativeCodeSeesGuestAddressesAndSensitiveInstructionsCallOutWithoutTrapping() {
        guest.load(CODE, csrrw(0, STVEC, S1), auipc(A0, 1), jal(RA, 8), addi(A0, 0, 0), ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("auipc gives the guest pc, not the cache's").isEqualTo(CODE + 4 + 0x1000);
        assertThat(guest.hart().register(RA)).as("jal links the guest return address").isEqualTo(CODE + 12);
        assertThat(guest.counter("callout", "csrrw-stvec")).isEqualTo(1);
        assertThat(guest.counter("callout", "ecall")).isEqualTo(1);
        assertThat(guest.counter("trap-emulate", "csrrw-stvec")).isZero();
        assertThat(guest.counter("bt", "block-translated")).isGreaterThanOrEqualTo(2);
        assertThat(guest.callouts).as("reported for the exit profile at the guest's own addresses").containsExactly(
                new GuestHarness.ReportedCallout(CODE, csrrw(0, STVEC, S1)),
                new GuestHarness.ReportedCallout(CODE + 16, ecall()));
        assertThat(guest.reports).as("each closed once the VMM has handled it")
                .containsExactly("callout", "handled", "callout", "handled");
    }

    @Test
    void branchesAndCompressedCodeLoopInTheCacheThroughChainedStubs() {
        guest.load(CODE, csrrw(0, STVEC, S1), addi(S0, 0, 5), addi(A0, 0, 0),
                compressedPair(cAddi(A0, 3), cAddi(S0, -1)), compressedPair(cBnez(S0, -4), C_NOP), ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(15);
        assertThat(guest.counter("bt", "chained")).isGreaterThanOrEqualTo(1);
        assertThat(guest.counter("translated-jump", "direct")).isLessThan(5);
    }

    @Test
    void indirectJumpsLinkAndReturnThroughGuestAddresses() {
        long function = CODE + 0x40;
        guest.load(CODE, csrrw(0, STVEC, S1), jalr(RA, T0, 0), addi(A1, RA, 0), ecall());
        guest.load(function, addi(A0, 0, 9), jalr(0, RA, 0));
        guest.start();
        guest.hart().setRegister(T0, function);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(9);
        assertThat(call.a1()).isEqualTo(CODE + 8);
        assertThat(guest.counter("translated-jump", "indirect")).isEqualTo(2);
        // Priced as jump lookups, apart from the callouts that emulate sensitive instructions (csrrw, ecall).
        assertThat(guest.events(CostCategory.TRANSLATED_JUMP)).isEqualTo(guest.counter("translated-jump", "direct")
                + 2);
        assertThat(guest.events(CostCategory.CALLOUT)).isEqualTo(2);
    }

    @Test
    void aFaultInTranslatedCodeShowsTheGuestItsOwnPc() {
        guest.load(CODE, csrrw(0, STVEC, S1), addi(A0, 0, 1), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(S0, GuestHarness.VMM_BASE);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a2()).as("sepc").isEqualTo(CODE + 8);
    }

    /** A jump to code the guest cannot fetch: the fault is delivered from the jump's callout, without an exit. */
    @Test
    void aJumpToUnfetchableCodeFaultsAtItsTargetAndIsReportedForTheExitProfile() {
        guest.load(CODE, csrrw(0, STVEC, S1), jalr(RA, T0, 0));
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.VMM_BASE);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertThat(call.a2()).as("sepc").isEqualTo(GuestHarness.VMM_BASE);
        assertThat(guest.faults).containsExactly(
                new GuestHarness.ReportedFault(GuestHarness.VMM_BASE, TrapCause.INSTRUCTION_ACCESS_FAULT));
        assertThat(guest.reports).as("the fault closed before the handler's callouts")
                .startsWith("callout", "handled", "fault", "handled", "callout", "handled");
    }

    /** An SRET to kernel code the guest cannot fetch: the fault met on re-entering translated code is reported too. */
    @Test
    void aReturnToUnfetchableKernelCodeIsReportedForTheExitProfile() {
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SEPC, T0), csrrs(0, SSTATUS, T1), sret());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.VMM_BASE);
        guest.hart().setRegister(T1, 0x100); // SPP: back to S-mode

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertThat(call.a2()).as("sepc").isEqualTo(GuestHarness.VMM_BASE);
        assertThat(guest.faults).containsExactly(
                new GuestHarness.ReportedFault(GuestHarness.VMM_BASE, TrapCause.INSTRUCTION_ACCESS_FAULT));
        assertThat(guest.reports).as("the fault met on resuming after the SRET's callout is closed inside it")
                .startsWith("callout", "handled", "callout", "handled", "callout", "handled", "callout", "fault",
                        "handled", "handled");
    }

    @Test
    void aStoreIntoTranslatedCodeInvalidatesItsTranslation() {
        long function = CODE + 0x40;
        guest.load(CODE, csrrw(0, STVEC, S1), jal(RA, 0x3c), addi(A1, A0, 0), sw(T0, T1, 0), jal(RA, 0x30), ecall());
        guest.load(function, addi(A0, 0, 1), jalr(0, RA, 0));
        guest.start();
        guest.hart().setRegister(T0, addi(A0, 0, 7));
        guest.hart().setRegister(T1, function);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a1()).as("the first call ran the old code").isEqualTo(1);
        assertThat(call.a0()).as("the second call runs the rewritten code").isEqualTo(7);
        assertThat(guest.counter("bt", "invalidated")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aDeviceWriteIntoTranslatedCodeInvalidatesItsTranslation() {
        long function = CODE + 0x40;
        long flag = GuestHarness.DATA;
        guest.load(CODE, csrrw(0, STVEC, S1), jal(RA, 0x3c), addi(A1, A0, 0), ld(T2, S0, 0), beq(T2, 0, -4),
                jal(RA, 0x2c), ecall());
        guest.load(function, addi(A0, 0, 1), jalr(0, RA, 0));
        guest.start();
        guest.hart().setRegister(S0, flag);
        guest.runUntil(A1, 1);

        guest.machine.dmaWrite64(function, (jalr(0, RA, 0) & 0xffff_ffffL) << 32 | addi(A0, 0, 7) & 0xffff_ffffL);
        guest.machine.dmaWrite64(flag, 1);
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("the second call runs what the device wrote").isEqualTo(7);
        assertThat(guest.counter("bt", "invalidated")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fenceIKeepsTheTranslationCache() {
        guest.load(CODE, csrrw(0, STVEC, S1), fenceI(), addi(A0, 0, 3), ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(3);
        assertThat(guest.counter("callout", "fence-i")).isEqualTo(1);
        assertThat(guest.counter("bt", "cache-flush")).as("every write into translated code drops it already")
                .isZero();
    }

    /**
     * The guest kernel's FENCE.I also covers user code the hart decoded from guest RAM (it runs natively): rewritten
     * and told to another hart over the same RAM only (as another hart's store would be), it runs new once the kernel
     * fenced.
     */
    @Test
    void fenceIDropsUserCodeTheHartDecoded() {
        long user = CODE + 0x100;
        long kernelTrap = CODE + 0x200;
        guest.load(CODE, csrrw(0, STVEC, T2), csrrw(0, SEPC, T1), sret());
        guest.load(user, addi(A2, 0, 5), ecall());
        guest.load(kernelTrap, addi(A3, A3, 1), fenceI(), csrrw(0, SEPC, T1), sret());
        guest.start();
        guest.hart().setRegister(T1, user);
        guest.hart().setRegister(T2, kernelTrap);
        guest.runUntil(A3, 1);
        assertThat(guest.hart().register(A2)).isEqualTo(5);

        guest.machine.physicalMemory().write32(user, addi(A2, 0, 9));
        new io.vmmlab.cpu.InterpreterCpuProvider().create(new io.vmmlab.api.cpu.HartConfig(1,
                io.vmmlab.api.cpu.IsaSpec.parse("rv64imac"), CODE, java.util.Set.of()),
                guest.machine.hartResources()).invalidateCode(user, 4);
        guest.runUntil(A3, 2);

        assertThat(guest.hart().register(A2)).as("the user code after the kernel's FENCE.I").isEqualTo(9);
        assertThat(guest.counter("callout", "fence-i")).isPositive();
    }

    @Test
    void theCalloutOpcodeInGuestKernelCodeIsAnIllegalInstructionForTheGuest() {
        guest.load(CODE, csrrw(0, STVEC, S1), custom0(0x1234), ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(call.a1()).isEqualTo(custom0(0x1234) & 0xffff_ffffL);
        assertThat(call.a2()).isEqualTo(CODE + 4);
    }

    @Test
    void guestUserCodeRunsUntranslatedAndCannotCallOut() {
        long user = CODE + 0x100;
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SEPC, T1), sret());
        guest.load(user, custom0(0), ecall());
        guest.start();
        guest.hart().setRegister(T1, user);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(call.a2()).as("sepc is the user pc").isEqualTo(user);
        assertThat(guest.counter("callout", "sret")).isEqualTo(1);
    }

    @Test
    void theGuestCannotReadTheTranslationCacheThroughItsWindow() {
        guest.load(CODE, csrrw(0, STVEC, S1), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(S0, TranslationCache.WINDOW);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(TranslationCache.WINDOW);
    }

    @Test
    void aGuestMappingOfTheWindowDoesNotReachTheCache() {
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(TranslationCache.WINDOW, 0x8000_0000L, GuestHarness.PTE_KERNEL_RW);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, TranslationCache.WINDOW);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(guest.machine.memory().read64(ROOT)).isZero();
    }

    @Test
    void aGuestPteCannotReachTheTranslationCacheInVmmMemory() {
        long cache = GuestHarness.VMM_BASE + GuestHarness.VMM_SIZE - GuestHarness.VMM_SIZE / 4;
        long alias = 0xc000_0000L + (cache - 0x8000_0000L);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0xc000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, alias);

        SbiCall call = guest.runToSbiCall();

        assertThat(guest.machine.physicalMemory().read32(cache)).as("the cache holds code").isNotZero();
        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(alias);
    }

    @Test
    void singleStepsInsideAnExpandedInstructionMakeProgress() {
        guest.load(CODE, csrrw(0, STVEC, S1), auipc(A0, 1), jal(RA, 8), addi(A0, 0, 0), addi(A1, 0, 1), ecall());
        guest.start();

        guest.runUntil(A1, 1);

        assertThat(guest.hart().register(A0)).isEqualTo(CODE + 4 + 0x1000);
        assertThat(guest.hart().register(RA)).isEqualTo(CODE + 12);
    }

    @Test
    void anInstructionCrossingAPageEndIsTranslatedFromBothPages() {
        int crossing = addi(A0, 0, 5);
        guest.load(CODE, csrrw(0, STVEC, S1), jal(0, 0xff8));
        guest.load(CODE + 0xffc, compressedPair(C_NOP, crossing & 0xffff), (ecall() & 0xffff) << 16 | crossing >>> 16,
                ecall() >>> 16);
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(5);
        assertThat(guest.counter("callout", "ecall")).isEqualTo(1);
    }

    @Test
    void aFullCacheIsFlushedAndTranslationGoesOn() {
        GuestHarness small = new GuestHarness(FullVirtTechnique.BT,
                FakeMachines.withInterpreterHart("rv64imac", GuestHarness.RAM_SIZE, 64 << 10));
        int blocks = 2500; // 8 bytes of cache each: more than the 16 KiB cache holds
        small.load(CODE, csrrw(0, STVEC, S1), addi(A0, 0, 0));
        for (int i = 0; i < blocks; i++) {
            small.load(CODE + 8 + 8L * i, addi(A0, A0, 1), jal(0, 4)); // one block each
        }
        small.load(CODE + 8 + 8L * blocks, ecall());
        small.start();

        SbiCall call = small.runToSbiCall();

        assertThat(call.a0()).isEqualTo(blocks);
        assertThat(small.counter("bt", "cache-flush")).isGreaterThanOrEqualTo(1);
        assertThat(small.counter("bt", "block-translated")).isGreaterThanOrEqualTo(blocks);
    }

    @Test
    void anInterruptInsideTranslatedCodeShowsTheGuestItsOwnPc() {
        long loop = CODE + 16;
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SIE, T0), csrrsi(0, SSTATUS, 2), addi(A1, 0, 0),
                compressedPair(cAddi(A1, 1), cBnez(A1, -2)));
        guest.start();
        guest.hart().setRegister(T0, 1L << 9);
        guest.runUntil(A1, 100);

        guest.hart().interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).raise();
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(1L << 63 | 9);
        assertThat(call.a2()).as("sepc is in the guest's loop").isBetween(loop, loop + 2);
        assertThat(guest.counter("virtual-interrupt", "supervisor-external")).isEqualTo(1);
    }
}
