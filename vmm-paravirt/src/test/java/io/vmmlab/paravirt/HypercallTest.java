package io.vmmlab.paravirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.hypercall.Hypercall;
import io.vmmlab.paravirt.hypercall.PvError;
import io.vmmlab.paravirt.PvGuestHarness.Result;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.vmmlab.paravirt.PvGuestHarness.CLINT;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_BASE;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_SIZE;
import static io.vmmlab.paravirt.PvGuestHarness.SHARED;
import static io.vmmlab.paravirt.PvGuestHarness.UART;
import static org.assertj.core.api.Assertions.assertThat;

final class HypercallTest {
    private static final long MSTATUS_FS = 3L << 13;
    private static final int FCVT_D_L_F1_A0 = 0xd22500d3; // fcvt.d.l f1, a0

    @Test
    void versionIsOneZeroAndEveryCallIsCountedByName() {
        PvGuestHarness guest = new PvGuestHarness();

        Result result = guest.call(Hypercall.VERSION);

        assertThat(result.error()).isZero();
        assertThat(result.value()).isEqualTo(0x1_0000L);
        assertThat(result.action()).isEqualTo(ExitAction.RESUME);
        assertThat(guest.hart.pc()).isEqualTo(PvGuestHarness.CODE + 4);
        assertThat(guest.counters.snapshot().values())
                .containsEntry(new CounterKey("hypercall", "version", CostCategory.HYPERCALL), 1L);
    }

    /** The exit profile names a hypercall by the ABI; an a7 outside the ABI (an SBI extension) is not named here. */
    @Test
    void hypercallsAreNamedForReports() {
        PvGuestHarness guest = new PvGuestHarness();

        assertThat(guest.hypervisor.ecallName(Hypercall.MMU_UPDATE.a7())).contains("hypercall mmu-update");
        assertThat(guest.hypervisor.ecallName(Hypercall.SHUTDOWN.a7())).contains("hypercall shutdown");
        assertThat(guest.hypervisor.ecallName(Hypercall.SHUTDOWN.a7() + 1)).isEmpty();
        assertThat(guest.hypervisor.ecallName(0x5449_4d45L)).isEmpty();
    }

    /** PV-ABI.md section 1: with F the guest's floating point is always on (the ABI has no FS control). */
    @Test
    void floatingPointIsAlwaysOnForAGuestWithF() {
        PvGuestHarness guest = new PvGuestHarness("rv64imafdc");
        guest.physical.write32(PvGuestHarness.CODE, FCVT_D_L_F1_A0);
        guest.hart.setRegister(10, 5);

        guest.hart.run(1);

        assertThat(guest.hart.pc()).as("no trap").isEqualTo(PvGuestHarness.CODE + 4);
        assertThat(guest.hart.readCsr(CsrNumbers.MSTATUS) & MSTATUS_FS).as("Dirty").isEqualTo(MSTATUS_FS);
    }

    @Test
    void consoleCallsReachTheConsole() {
        PvGuestHarness guest = new PvGuestHarness();
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        guest.memory.write(RAM_BASE + 0x2000, text, 0, text.length);

        guest.call(Hypercall.CONSOLE_PUTC, '>');
        Result written = guest.call(Hypercall.CONSOLE_WRITE, RAM_BASE + 0x2000, text.length);

        assertThat(written.value()).isEqualTo(5);
        assertThat(guest.console).hasToString(">hello");
    }

    @Test
    void sharedPageIsFilledInAndCannotBeRegisteredTwice() {
        PvGuestHarness guest = new PvGuestHarness().booted();

        assertThat(guest.memory.read64(SHARED + SharedInfoPage.MAGIC)).isEqualTo(SharedInfoPage.MAGIC_VALUE);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.RAM_SIZE)).isEqualTo(RAM_SIZE);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_MASK)).isEqualTo(1);
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, SHARED + 0x1000).error()).isEqualTo(PvError.EEXIST);
    }

    @Test
    void mmioHypercallsReachDevicesButNotTheClint() {
        PvGuestHarness guest = new PvGuestHarness();

        assertThat(guest.call(Hypercall.MMIO_READ, UART + 4, 4).value()).isEqualTo(0x5a);
        assertThat(guest.call(Hypercall.MMIO_WRITE, UART, 1, 'x').error()).isZero();
        assertThat(guest.uart.writes()).hasSize(1);
        assertThat(guest.call(Hypercall.MMIO_WRITE, CLINT + 0x4000, 8, 0).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.call(Hypercall.MMIO_READ, RAM_BASE, 4).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.clint.writes()).isEmpty();
    }

    @Test
    void unknownHypercallNumbersGetEnosysAndTheGuestGoesOn() {
        PvGuestHarness guest = new PvGuestHarness();

        assertThat(guest.callRaw(Hypercall.BASE + 999).error()).isEqualTo(PvError.ENOSYS);
        assertThat(guest.callRaw(0x10 /* an SBI extension */, 0).error()).isEqualTo(PvError.ENOSYS);
        assertThat(guest.callRaw(-1).error()).isEqualTo(PvError.ENOSYS);
        assertThat(guest.counter("hypercall", "unknown")).isEqualTo(3);
        assertThat(guest.call(Hypercall.VERSION).error()).isZero();
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void badPointersGetEfaultAndNeverReachMemoryOutsideTheGuest() {
        PvGuestHarness guest = new PvGuestHarness();
        long vmm = guest.vmmRange.base();
        long before = guest.physical.read64(vmm);

        assertThat(guest.call(Hypercall.CONSOLE_WRITE, vmm, 16).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.CONSOLE_WRITE, RAM_BASE + RAM_SIZE - 4, 8).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.CONSOLE_WRITE, 0x1000, 1).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.MMU_UPDATE, vmm, 1).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.MMU_UPDATE, RAM_BASE + RAM_SIZE - 16, 2).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, vmm).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, RAM_BASE + 8).error()).isEqualTo(PvError.EFAULT);
        guest.booted();
        assertThat(guest.call(Hypercall.IRET, vmm, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.PIN_TABLE, vmm, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.physical.read64(vmm)).isEqualTo(before);
        assertThat(guest.console).isEmpty();
        assertThat(guest.counter("hypercall-error", "efault")).isEqualTo(9);
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void outOfRangeArgumentsGetEinval() {
        PvGuestHarness guest = new PvGuestHarness().booted();

        assertThat(guest.call(Hypercall.MMU_UPDATE, RAM_BASE + 0x3000, 0).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.MMU_UPDATE, RAM_BASE + 0x3000, 513).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.PIN_TABLE, RAM_BASE + 0x10000, 3).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.PIN_TABLE, RAM_BASE + 0x10008, 0).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.UNPIN_TABLE, RAM_BASE + 0x10000).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, RAM_BASE + 0x10000).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.TLB_FLUSH, 0, 7).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.MMIO_READ, UART, 3).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.MMIO_READ, UART + 1, 4).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.SET_TRAP_VECTOR, RAM_BASE + 2).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.IRET, RAM_BASE + 0x2000, 2).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.IRET, RAM_BASE + 0x2000, 1).error())
                .as("no pinned root yet: no user view to return to").isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.SHUTDOWN, 7).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void shutdownStopsTheMachine() {
        PvGuestHarness guest = new PvGuestHarness();

        Result result = guest.call(Hypercall.SHUTDOWN, 1);

        assertThat(result.action()).isEqualTo(ExitAction.STOP);
        assertThat(guest.machine.outcome()).get().extracting(GuestOutcome::status)
                .isEqualTo(GuestOutcome.Status.GUEST_FAILED);
    }

    @Test
    void blockWaitsUntilAnEventIsPending() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long pc = guest.hart.pc();

        Result blocked = guest.call(Hypercall.BLOCK);

        assertThat(blocked.action()).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.hart.pc()).as("the block runs again").isEqualTo(pc);
    }
}
