package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.cpu.csr.CsrAddress;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.hwassist.GuestHarness.CODE;
import static io.vmmlab.hwassist.GuestHarness.DATA;
import static io.vmmlab.hwassist.GuestHarness.ROOT;
import static io.vmmlab.hwassist.GuestHarness.SATP;
import static io.vmmlab.hwassist.GuestHarness.STVEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HwAssistHypervisorTest {
    private static final long DEVICE = 0x1000_0000L;
    /** Leaf flags of the guest gigapages these tests map: readable, writable, executable, accessed, dirty. */
    private static final long RWX_GIGAPAGE = Pte.D | Pte.A | Pte.X | Pte.W | Pte.R | Pte.V;
    private static final int SSCRATCH = 0x140;
    private static final int SIE = 0x104;
    private static final int SSTATUS = 0x100;

    @Test
    void theGuestRunsInVsModeAndItsEcallIsAnSbiExit() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, csrrw(0, STVEC, S1), addi(A0, 0, 7), ecall());
        guest.start();
        assertThat(guest.hart().privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(guest.hart().virtualMode()).isTrue();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(7);
        assertThat(guest.counter("exit", "vs-ecall")).isEqualTo(1);
        assertThat(guest.hart().readCsr(CsrAddress.VSTVEC)).isEqualTo(GuestHarness.HANDLER);
    }

    @Test
    void privilegedRegistersOfTheGuestAreItsVsCopiesAndCostNoExit() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, addi(T0, 0, 0x55), csrrw(0, SSCRATCH, T0), csrrs(A0, SSCRATCH, 0), ecall());
        guest.start();

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(0x55);
        assertThat(guest.hart().readCsr(SSCRATCH)).as("the VMM's own sscratch").isZero();
        assertThat(guest.counter("exit", "virtual-instruction")).isZero();
        assertThat(guest.exits).containsOnly(HartExit.TRAP);
    }

    @Test
    void deviceAccessesExitAndAreEmulatedFromHtvalAndHtinst() {
        GuestHarness guest = new GuestHarness();
        RecordingMmioDevice device = new RecordingMmioDevice(0x80);
        guest.machine.mmio().map("dev", new AddressRange(DEVICE, 0x100), device);
        // c.sw a2, 12(s0) with a c.nop after it: pc must advance by 2 past the compressed store.
        guest.load(CODE, sw(T0, S0, 4), lb(A0, S0, 8), cSw(A2, S0, 12) | 0x0001 << 16, ecall());
        guest.start();
        guest.hart().setRegister(S0, DEVICE);
        guest.hart().setRegister(T0, 0x1234_5678L);
        guest.hart().setRegister(A2, 0x99);

        SbiCall call = guest.runToSbiCall();

        assertThat(device.writes()).containsExactly(new RecordingMmioDevice.Access(4, 4, 0x1234_5678L),
                new RecordingMmioDevice.Access(12, 4, 0x99));
        assertThat(call.a0()).as("lb sign-extends").isEqualTo(-128);
        assertThat(guest.counter("exit", "guest-page-fault")).isEqualTo(3);
        assertThat(guest.counter("mmio-exit", "dev-write")).isEqualTo(2);
        assertThat(guest.counter("mmio-exit", "dev-read")).isEqualTo(1);
        assertThat(guest.counter("guest-page-fault", "mmio")).isEqualTo(3);
        // Priced once each: the exit as VM_EXIT, the emulation by the device's own counter; mmio-exit only names it.
        assertThat(guest.machine.counters().snapshot().values())
                .containsKey(new CounterKey("mmio-exit", "dev-write", CostCategory.NONE));
    }

    @Test
    void theGuestCannotReadOrWriteVmmMemoryWhereTheGStageTablesLive() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, csrrw(0, STVEC, S1), sd(T0, S0, 0), ecall());
        guest.start();
        long root = Pte.rootPpn(guest.hart().readCsr(CsrAddress.HGATP)) << 12;
        assertThat(root).isBetween(GuestHarness.VMM_BASE, GuestHarness.VMM_BASE + GuestHarness.VMM_SIZE);
        long before = guest.machine.physicalMemory().read64(root + 16);
        guest.hart().setRegister(S0, root + 16);
        guest.hart().setRegister(T0, -1L);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(root + 16);
        assertThat(guest.machine.physicalMemory().read64(root + 16)).isEqualTo(before);
        assertThat(guest.counter("guest-page-fault", "access-fault")).isEqualTo(1);
    }

    @Test
    void aHostileGuestPageTableMappingVmmMemoryGetsAnAccessFault() {
        GuestHarness guest = new GuestHarness();
        // VA 0x4000_0000 + n: a gigapage onto PA 0x8000_0000, which covers the VMM's region after guest RAM.
        guest.machine.memory().write64(ROOT + 8, Pte.entry(0x8000_0000L, RWX_GIGAPAGE));
        // VA 0xc000_0000: a "table" inside the VMM's region.
        guest.machine.memory().write64(ROOT + 3 * 8, Pte.entry(GuestHarness.VMM_BASE, Pte.V));
        guest.machine.memory().write64(ROOT + 2 * 8, Pte.entry(0x8000_0000L, RWX_GIGAPAGE));
        long vmmAlias = 0x4000_0000L + (GuestHarness.VMM_BASE - FakeMachine.RAM_BASE);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(S1, GuestHarness.HANDLER);
        guest.hart().setRegister(T0, 8L << 60 | ROOT >>> 12);
        guest.hart().setRegister(S0, vmmAlias);
        byte[] tables = new byte[4 * 4096];
        guest.machine.physicalMemory().read(GuestHarness.VMM_BASE, tables, 0, tables.length);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(vmmAlias);
        byte[] after = new byte[tables.length];
        guest.machine.physicalMemory().read(GuestHarness.VMM_BASE, after, 0, after.length);
        assertThat(after).isEqualTo(tables);
    }

    @Test
    void aGuestPageTableInsideVmmMemoryGetsAnAccessFault() {
        GuestHarness guest = new GuestHarness();
        guest.machine.memory().write64(ROOT + 2 * 8, Pte.entry(0x8000_0000L, RWX_GIGAPAGE));
        guest.machine.memory().write64(ROOT + 3 * 8, Pte.entry(GuestHarness.VMM_BASE, Pte.V));
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(A0, S0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, 8L << 60 | ROOT >>> 12);
        guest.hart().setRegister(S0, 0xc000_0000L);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(call.a1()).isEqualTo(0xc000_0000L);
    }

    @Test
    void hypervisorRegistersAreIllegalForTheGuestKernel() {
        GuestHarness guest = new GuestHarness();
        int writeHgatp = csrrw(0, CsrAddress.HGATP, T0);
        guest.load(CODE, csrrw(0, STVEC, S1), writeHgatp, ecall());
        guest.start();
        long hgatp = guest.hart().readCsr(CsrAddress.HGATP);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(call.a1()).isEqualTo(writeHgatp & 0xffff_ffffL);
        assertThat(guest.hart().readCsr(CsrAddress.HGATP)).isEqualTo(hgatp);
        assertThat(guest.counter("exit", "virtual-instruction")).isEqualTo(1);
    }

    @Test
    void wfiExitsAndTheHartWaits() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, wfi(), ecall());
        guest.start();

        HartExit exit = guest.hart().run(10);

        assertThat(exit).isEqualTo(HartExit.TRAP);
        assertThat(guest.hypervisor.handleExit(guest.hart(), exit)).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.hart().pc()).isEqualTo(CODE + 4);
        assertThat(guest.counter("exit", "wfi")).isEqualTo(1);
    }

    /**
     * A hart waiting in WFI stays off the run loop (which asks every round) until an interrupt is pending that the
     * guest enabled in its sie, though its sstatus.SIE is clear: else it would run its idle loop back to WFI, an exit,
     * every round another hart is busy.
     */
    @Test
    void aWaitingHartRunsAgainOnlyOnceAnInterruptItEnabledIsPending() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, addi(T0, 0, 2), csrrs(0, SIE, T0), wfi(), ecall());
        guest.start();

        assertThat(guest.hypervisor.handleExit(guest.hart(), guest.hart().run(10)))
                .isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("nothing pending").isFalse();
        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("still nothing").isFalse();

        guest.hart().writeCsr(CsrAddress.HVIP, CsrAddress.IP_VSSIP); // an SBI IPI from another hart
        assertThat(guest.hypervisor.isRunnable(guest.hart())).as("a software interrupt it enabled").isTrue();
        assertThat(guest.runToSbiCall()).as("the ecall after the WFI").isNotNull();
    }

    @Test
    void theMachineTimerBecomesTheGuestsTimerInterruptThroughHvip() {
        GuestHarness guest = new GuestHarness(GuestHarness.machine("rv64imach"));
        guest.load(CODE, csrrw(0, STVEC, S1), addi(T0, 0, 0x20), csrrs(0, SIE, T0), csrrsi(0, SSTATUS, 2), jal(0, 0));
        guest.start();
        guest.hart().writeCsr(CsrAddress.MIE, guest.hart().readCsr(CsrAddress.MIE) | CsrAddress.IP_MTIP);
        guest.hart().interruptLine(HartInterrupt.MACHINE_TIMER).set(true);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.INTERRUPT_BIT | TrapCause.SUPERVISOR_TIMER_INTERRUPT);
        assertThat(guest.counter("exit", "timer")).isEqualTo(1);
        assertThat(guest.hart().readCsr(CsrAddress.MIE) & CsrAddress.IP_MTIP).as("masked until re-armed").isZero();
    }

    @Test
    void externalInterruptsAreMirroredIntoHvipUntilThePlicLineDrops() {
        GuestHarness guest = new GuestHarness();
        guest.load(CODE, csrrw(0, STVEC, S1), addi(T0, 0, 0x200), csrrs(0, SIE, T0), csrrsi(0, SSTATUS, 2), jal(0, 0));
        guest.start();
        guest.hart().interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).set(true);

        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).isEqualTo(TrapCause.INTERRUPT_BIT | TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT);
        assertThat(guest.hart().readCsr(CsrAddress.HVIP) & CsrAddress.IP_VSEIP).isEqualTo(CsrAddress.IP_VSEIP);
        guest.hart().interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).set(false);
        guest.hypervisor.handleExit(guest.hart(), HartExit.BUDGET_EXHAUSTED);
        assertThat(guest.hart().readCsr(CsrAddress.HVIP) & CsrAddress.IP_VSEIP).isZero();
        assertThat(guest.hart().readCsr(CsrAddress.MIE) & CsrAddress.IP_SEIP).isEqualTo(CsrAddress.IP_SEIP);
    }

    @Test
    void theSbiPlatformGivesGuestBuffersFromGuestRamOnly() {
        GuestHarness guest = new GuestHarness();
        long[] read = new long[1];
        HwAssistHypervisor hypervisor = new HwAssistHypervisor((call, platform) -> {
            try {
                read[0] = platform.memory().read64(GuestHarness.VMM_BASE);
            } catch (RuntimeException refused) {
                read[0] = -1;
            }
            platform.systemReset(0, 0);
            return io.vmmlab.api.sbi.SbiResult.success(0);
        }, new RecordingConsole(), guest.machine.counters());
        guest.load(CODE, ecall());
        hypervisor.start(guest.machine, FakeMachine.kernelBoot(CODE));
        HartExit exit = guest.hart().run(10);
        assertThat(hypervisor.handleExit(guest.hart(), exit)).isEqualTo(ExitAction.STOP);
        assertThat(read[0]).isEqualTo(-1);
        assertThat(guest.machine.outcome().map(GuestOutcome::status)).contains(GuestOutcome.Status.POWERED_OFF);
    }

    @Test
    void bareMetalImagesAndHartsWithoutHAreRejectedWithAClearMessage() {
        GuestHarness guest = new GuestHarness(GuestHarness.machine("rv64imac"));
        assertThatThrownBy(guest::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H extension");
        GuestHarness bare = new GuestHarness();
        assertThatThrownBy(() -> bare.hypervisor.start(bare.machine, new BootInfo(CODE, PrivilegeMode.MACHINE,
                FakeMachine.DEVICE_TREE, Optional.empty(), Optional.empty(), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supervisor-mode kernel");
    }
}
