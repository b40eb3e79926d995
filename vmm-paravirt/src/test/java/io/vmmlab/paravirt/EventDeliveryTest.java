package io.vmmlab.paravirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.events.VirtualTimer;
import io.vmmlab.paravirt.hypercall.Hypercall;
import org.junit.jupiter.api.Test;

import static io.vmmlab.paravirt.PvGuestHarness.CODE;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_BASE;
import static io.vmmlab.paravirt.PvGuestHarness.SHARED;
import static io.vmmlab.paravirt.PvGuestHarness.VECTOR;
import static org.assertj.core.api.Assertions.assertThat;

final class EventDeliveryTest {

    private static void timerFires(PvGuestHarness guest) {
        guest.hart.interruptLine(HartInterrupt.MACHINE_TIMER).set(true);
        HartExit exit = guest.hart.run(100);
        assertThat(exit).isEqualTo(HartExit.TRAP);
        assertThat(guest.hart.pendingTrap().isInterrupt()).isTrue();
        assertThat(guest.hypervisor.handleExit(guest.hart, exit)).isEqualTo(ExitAction.RESUME);
        guest.hart.interruptLine(HartInterrupt.MACHINE_TIMER).set(false);
    }

    @Test
    void theTimerProgramsTheClintAndBecomesAPendingEventWhileMasked() {
        PvGuestHarness guest = new PvGuestHarness().booted();

        guest.call(Hypercall.SET_TIMER, 5000);
        assertThat(guest.clint.writes()).hasSize(1);
        assertThat(guest.clint.writes().get(0).value()).isEqualTo(5000);
        assertThat(guest.hart.readCsr(CsrNumbers.MIE) & VirtualTimer.MIE_MTIE).isNotZero();
        long pc = guest.hart.pc();
        timerFires(guest);

        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_PENDING)).isEqualTo(1L << 5);
        assertThat(guest.hart.pc()).as("masked: not delivered").isEqualTo(pc);
        assertThat(guest.call(Hypercall.BLOCK).action()).isEqualTo(ExitAction.RESUME);
    }

    @Test
    void unmaskingDeliversThePendingEventToTheVectorWithoutAnyPrivilegedInstruction() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.call(Hypercall.SET_TIMER, 5000);
        timerFires(guest);
        guest.memory.write64(SHARED + SharedInfoPage.EVENTS_MASK, 0);
        guest.memory.write64(SHARED + SharedInfoPage.SCRATCH, 0);
        guest.hart.setRegister(2, RAM_BASE + 0x9000);
        long resumeAt = guest.hart.pc() + 4;

        guest.call(Hypercall.YIELD);

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).isEqualTo(1L << 63 | 5);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_EPC)).isEqualTo(resumeAt);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_MASK)).isEqualTo(1);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_PENDING)).isZero();
        assertThat(guest.hart.register(2)).as("sp swapped with scratch (0: from the kernel)").isZero();
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.SCRATCH)).isEqualTo(RAM_BASE + 0x9000);
        assertThat(guest.counter("upcall", "timer")).isEqualTo(1);
    }

    /**
     * BLOCK with events unmasked (a port of "enable interrupts; wfi"): the event that ends the wait completes the
     * hypercall (a0 = 0, pc past the ecall) before it is delivered, so the handler's IRET goes on after the BLOCK.
     * Delivered at the ecall, the IRET ran the BLOCK again, which waited for the event just consumed, for ever.
     */
    @Test
    void anEventThatEndsABlockIsDeliveredPastItSoThatIretDoesNotBlockAgain() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.call(Hypercall.SET_TIMER, 5000);
        guest.memory.write64(SHARED + SharedInfoPage.EVENTS_MASK, 0);
        guest.memory.write64(SHARED + SharedInfoPage.SCRATCH, 0);
        long block = guest.hart.pc();

        assertThat(guest.call(Hypercall.BLOCK).action()).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        assertThat(guest.hart.pc()).as("waits at its ecall").isEqualTo(block);
        guest.hart.setRegister(10, 99);
        timerFires(guest);

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_EPC)).isEqualTo(block + 4);
        assertThat(guest.hart.register(10)).as("BLOCK returned 0").isZero();
        assertThat(guest.counter("upcall", "timer")).isEqualTo(1);
    }

    /** With events masked the event that ends a BLOCK is not delivered: the BLOCK runs again and returns 0. */
    @Test
    void anEventThatEndsAMaskedBlockWaitsForTheBlockToRunAgain() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.call(Hypercall.SET_TIMER, 5000);
        long block = guest.hart.pc();

        assertThat(guest.call(Hypercall.BLOCK).action()).isEqualTo(ExitAction.WAIT_FOR_INTERRUPT);
        timerFires(guest);

        assertThat(guest.hart.pc()).as("not delivered: still at the BLOCK").isEqualTo(block);
        assertThat(guest.counter("upcall", "timer")).isZero();
        PvGuestHarness.Result again = guest.runToExit();
        assertThat(again.action()).isEqualTo(ExitAction.RESUME);
        assertThat(again.error()).isZero();
        assertThat(guest.hart.pc()).as("the BLOCK returned").isEqualTo(block + 4);
    }

    @Test
    void iretRestoresEveryRegisterAndUnmasksEvents() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long frame = RAM_BASE + 0x4000;
        guest.memory.write64(frame, CODE + 0x100);
        for (int register = 1; register < 32; register++) {
            guest.memory.write64(frame + 8L * register, 1000 + register);
        }

        guest.call(Hypercall.IRET, frame, 0);

        assertThat(guest.hart.pc()).isEqualTo(CODE + 0x100);
        for (int register = 1; register < 32; register++) {
            assertThat(guest.hart.register(register)).isEqualTo(1000 + register);
        }
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_MASK)).isZero();
    }

    @Test
    void aKernelFaultIsBouncedOnceAndAFaultInTheVectorStopsTheGuest() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.hart.setRegister(5, guest.vmmRange.base());
        guest.physical.write32(guest.hart.pc(), 0x0002_b023);   // sd zero, 0(t0): the VMM's memory is not mapped
        guest.hart.flushCaches();

        guest.runToExit();

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).isEqualTo(15);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_TVAL)).isEqualTo(guest.vmmRange.base());
        guest.physical.write32(VECTOR, 0x0002_b023);
        guest.hart.flushCaches();
        assertThat(guest.runToExit().action()).isEqualTo(ExitAction.STOP);
        assertThat(guest.machine.outcome()).isPresent();
        assertThat(guest.physical.read64(guest.vmmRange.base())).isNotEqualTo(0x1234);
    }

    /**
     * A trap bounced to the guest kernel and an IRET drop the hart's LR reservation, as a trap and SRET do on hardware:
     * an SC after either fails.
     */
    @Test
    void aBouncedTrapAndAnIretDropTheReservation() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long data = RAM_BASE + 0x5000;
        long frame = RAM_BASE + 0x4000;
        guest.memory.write64(frame, CODE + 0x100);
        guest.hart.loadReserved(data, 8, () -> guest.physical.read64(data));

        guest.call(Hypercall.IRET, frame, 0);

        assertThat(guest.hart.storeConditional(data, 8, () -> { })).as("after IRET").isFalse();

        guest.hart.loadReserved(data, 8, () -> guest.physical.read64(data));
        guest.hart.setRegister(5, guest.vmmRange.base());
        guest.physical.write32(guest.hart.pc(), 0x0002_b023);   // sd zero, 0(t0): a fault bounced to the kernel
        guest.hart.flushCaches();
        guest.runToExit();

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.hart.storeConditional(data, 8, () -> { })).as("after a bounced trap").isFalse();
    }
}
