package io.vmmlab.cpu.trap;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class InterruptTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x400;

    private static TestBoard spinning() {
        return spinning("rv64imac");
    }

    private static TestBoard spinning(String isa) {
        TestBoard board = new TestBoard(isa, 1 << 20);
        board.load(BASE, addi(A0, A0, 1), jal(0, -4));
        board.load(HANDLER, jal(0, 0));
        return board;
    }

    @Test
    void machineTimerInterruptIsTakenWhenEnabled() {
        TestBoard board = spinning();
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER | 1);
        hart.writeCsr(CsrAddress.MIE, CsrAddress.IP_MTIP);
        hart.run(10);
        assertThat(hart.pc()).isBetween(BASE, BASE + 4);
        hart.interruptLine(HartInterrupt.MACHINE_TIMER).raise();
        hart.run(10);
        assertThat(hart.pc()).isBetween(BASE, BASE + 4);
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MIE);
        board.load(HANDLER + 4 * 7, jal(0, 0));
        hart.run(10);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INTERRUPT_BIT | 7);
        assertThat(hart.pc()).isEqualTo(HANDLER + 4 * 7);
        assertThat(board.counters().snapshot().get("trap", "machine-timer")).isEqualTo(1);
    }

    @Test
    void wfiReturnsWithPcPastItAndWakesOnPendingEnabledInterrupt() {
        TestBoard board = new TestBoard();
        board.load(BASE, wfi(), addi(A0, 0, 1), wfi());
        Rv64Hart hart = board.hart();
        assertThat(hart.run(10)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.pc()).isEqualTo(BASE + 4);
        hart.writeCsr(CsrAddress.MIE, CsrAddress.IP_MSIP);
        hart.interruptLine(HartInterrupt.MACHINE_SOFTWARE).raise();
        hart.setPc(BASE);
        // MIE is clear: the interrupt is not taken, but WFI does not stall either.
        assertThat(hart.run(3)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(hart.register(A0)).isEqualTo(1);
    }

    @Test
    void sstcRaisesSupervisorTimerFromStimecmp() {
        TestBoard board = spinning("rv64imac_sstc");
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MENVCFG, CsrAddress.ENVCFG_STCE);
        hart.writeCsr(CsrAddress.MIDELEG, CsrAddress.IP_STIP);
        hart.writeCsr(CsrAddress.MIE, CsrAddress.IP_STIP);
        hart.writeCsr(CsrAddress.STVEC, HANDLER);
        hart.writeCsr(CsrAddress.STIMECMP, 100);
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.run(10);
        assertThat(hart.readCsr(CsrAddress.MIP) & CsrAddress.IP_STIP).isZero();
        board.time().set(100);
        assertThat(hart.readCsr(CsrAddress.MIP) & CsrAddress.IP_STIP).isNotZero();
        hart.run(10);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.readCsr(CsrAddress.SCAUSE)).isEqualTo(TrapCause.INTERRUPT_BIT | 5);
    }

    @Test
    void supervisorExternalReadsAsSoftwareOrLine() {
        TestBoard board = spinning();
        Rv64Hart hart = board.hart();
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).raise();
        assertThat(hart.readCsr(CsrAddress.MIP) & CsrAddress.IP_SEIP).isNotZero();
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).lower();
        assertThat(hart.readCsr(CsrAddress.MIP) & CsrAddress.IP_SEIP).isZero();
        hart.writeCsr(CsrAddress.MIP, CsrAddress.IP_SEIP);
        assertThat(hart.readCsr(CsrAddress.MIP) & CsrAddress.IP_SEIP).isNotZero();
    }

    @Test
    void setAndClearOfMipDoNotLatchThePlicSignalIntoSoftwareSeip() {
        // OpenSBI's csr_set(mip, SSIP) / csr_clear(mip, SSIP) on an IPI, while the PLIC holds this hart's S-mode
        // line: the value read has SEIP, but only the software-writable SEIP takes part in the read-modify-write
        // (Privileged spec, mip). Were the line written back, S-mode would take external interrupts no claim clears.
        TestBoard board = new TestBoard();
        board.load(BASE, csrrsi(T0, CsrAddress.MIP, 2), csr(7, T1, CsrAddress.MIP, 2), jal(0, 0));
        Rv64Hart hart = board.hart();
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).raise();
        hart.run(2);
        assertThat(hart.register(T0) & CsrAddress.IP_SEIP).isNotZero();
        assertThat(hart.register(T1) & CsrAddress.IP_SEIP).isNotZero();
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).lower();
        assertThat(hart.readCsr(CsrAddress.MIP) & (CsrAddress.IP_SEIP | CsrAddress.IP_SSIP)).isZero();
    }

    @Test
    void firmwareSetAndClearOfMipBitsDoNotLatchThePlicSignalEither() {
        // The same rule for VMM and firmware code in Java: the built-in SBI turns a machine timer interrupt into
        // STIP while the PLIC may hold the S-mode line.
        Rv64Hart hart = new TestBoard().hart();
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).raise();
        hart.setCsrBits(CsrAddress.MIP, CsrAddress.IP_STIP);
        hart.clearCsrBits(CsrAddress.MIP, CsrAddress.IP_SSIP);
        hart.interruptLine(HartInterrupt.SUPERVISOR_EXTERNAL).lower();

        assertThat(hart.readCsr(CsrAddress.MIP) & (CsrAddress.IP_SEIP | CsrAddress.IP_STIP))
                .isEqualTo(CsrAddress.IP_STIP);
    }

    @Test
    void setAndClearOfMipKeepTheSoftwareSeip() {
        TestBoard board = new TestBoard();
        board.load(BASE, csrrsi(0, CsrAddress.MIP, 2), csr(7, 0, CsrAddress.MIP, 2), jal(0, 0));
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MIP, CsrAddress.IP_SEIP);
        hart.run(2);
        assertThat(hart.readCsr(CsrAddress.MIP) & (CsrAddress.IP_SEIP | CsrAddress.IP_SSIP))
                .isEqualTo(CsrAddress.IP_SEIP);
    }

    @Test
    void interceptedMachineInterruptsExitBeforeTheNextInstruction() {
        TestBoard board = spinning();
        Rv64Hart hart = board.hart();
        hart.setTrapInterception(TrapInterception.MACHINE);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);
        hart.writeCsr(CsrAddress.MIE, CsrAddress.IP_MEIP);
        hart.interruptLine(HartInterrupt.MACHINE_EXTERNAL).raise();
        assertThat(hart.run(10)).isEqualTo(HartExit.TRAP);
        assertThat(hart.pendingTrap().isInterrupt()).isTrue();
        assertThat(hart.pendingTrap().code()).isEqualTo(11);
        assertThat(hart.pc()).isEqualTo(BASE);
    }

    @Test
    void requestExitStopsTheRun() {
        TestBoard board = spinning();
        board.hart().requestExit();
        assertThat(board.hart().run(1_000_000)).isEqualTo(HartExit.EXIT_REQUESTED);
    }
}
