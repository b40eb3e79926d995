package io.vmmlab.cpu.trap;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class TrapTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x400;

    private static TestBoard board(int... program) {
        TestBoard board = new TestBoard();
        board.load(BASE, program);
        board.load(HANDLER, wfi());
        board.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        board.hart().writeCsr(CsrAddress.STVEC, HANDLER + 0x100);
        return board;
    }

    @Test
    void ecallFromMachineModeEntersTheHandler() {
        TestBoard board = board(addi(A0, 0, 1), ecall());
        assertThat(board.hart().run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        Rv64Hart hart = board.hart();
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ECALL_FROM_MACHINE);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
        assertThat(hart.pc()).isEqualTo(HANDLER + 4);
        assertThat(board.counters().snapshot().get("trap", "ecall-from-m")).isEqualTo(1);
    }

    @ParameterizedTest(name = "illegal 0x{0} gives mtval 0x{1}")
    @CsvSource({"00000000, 0", "ffffffff, ffffffff", "3020003b, 3020003b", "0000f07f, f07f"})
    void illegalInstructionsReportTheirBits(String hex, String tval) {
        int bits = (int) Long.parseLong(hex, 16);
        TestBoard board = board(bits);
        board.hart().run(100);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        long expected = Long.parseLong(tval, 16);
        if ((bits & 3) != 3) {
            expected = bits & 0xffff;
        }
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(expected);
        assertThat(board.hart().readCsr(CsrAddress.MEPC)).isEqualTo(BASE);
    }

    @ParameterizedTest(name = "reserved compressed 0x{0}")
    @CsvSource({"0000", "6001", "8002", "2000", "4002"})
    void reservedCompressedEncodingsAreIllegal(String hex) {
        int bits = Integer.parseInt(hex, 16);
        TestBoard board = board(bits | nopCompressedHigh());
        board.hart().run(100);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(bits);
    }

    private static int nopCompressedHigh() {
        return cNop() << 16;
    }

    @Test
    void delegatedExceptionsFromUserModeGoToSupervisorMode() {
        TestBoard board = board(ecall());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MEDELEG, 1L << TrapCause.ECALL_FROM_USER);
        board.load(HANDLER + 0x100, wfi());
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.run(1);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.readCsr(CsrAddress.SCAUSE)).isEqualTo(TrapCause.ECALL_FROM_USER);
        assertThat(hart.readCsr(CsrAddress.SEPC)).isEqualTo(BASE);
        assertThat(hart.pc()).isEqualTo(HANDLER + 0x100);
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & CsrAddress.STATUS_SPP).isZero();
    }

    @Test
    void interceptedTrapsLeaveTheHartUnchanged() {
        TestBoard board = board(addi(A0, 0, 7), ecall(), addi(A1, 0, 1));
        Rv64Hart hart = board.hart();
        hart.setTrapInterception(TrapInterception.MACHINE);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);
        assertThat(hart.run(100)).isEqualTo(HartExit.TRAP);
        PendingTrap trap = hart.pendingTrap();
        assertThat(trap.cause()).isEqualTo(TrapCause.ECALL_FROM_SUPERVISOR);
        assertThat(trap.pc()).isEqualTo(BASE + 4);
        assertThat(trap.fromMode()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.pc()).isEqualTo(BASE + 4);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isZero();
        assertThat(hart.instructionsRetired()).isEqualTo(1);
        hart.setPc(hart.pc() + 4);
        hart.run(1);
        assertThat(hart.register(A1)).isEqualTo(1);
    }

    @Test
    void takeTrapForwardsThroughDelegation() {
        TestBoard board = board(addi(0, 0, 0));
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MEDELEG, 1L << TrapCause.ILLEGAL_INSTRUCTION);
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.takeTrap(TrapCause.ILLEGAL_INSTRUCTION, 0x1234);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.readCsr(CsrAddress.STVAL)).isEqualTo(0x1234);
        assertThat(hart.pc()).isEqualTo(HANDLER + 0x100);
    }

    @Test
    void mretReturnsToThePreviousPrivilege() {
        TestBoard board = board(mret());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MEPC, BASE + 0x200);
        hart.writeCsr(CsrAddress.MSTATUS, 1L << CsrAddress.STATUS_MPP_SHIFT | CsrAddress.STATUS_MPIE);
        hart.run(1);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(hart.pc()).isEqualTo(BASE + 0x200);
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & CsrAddress.STATUS_MIE).isNotZero();
    }

    @Test
    void privilegedInstructionsTrapInUserMode() {
        TestBoard board = board(csrrs(A0, CsrAddress.MSTATUS, 0));
        board.hart().setPrivilege(PrivilegeMode.USER, false);
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(csrrs(A0, CsrAddress.MSTATUS, 0) & 0xffff_ffffL);
    }

    @Test
    void jumpsToHalfwordTargetsFaultWithoutCompressed() {
        TestBoard board = new TestBoard("rv64ima", 1 << 20);
        board.load(BASE, jal(0, 6));
        board.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + 6);
        assertThat(board.hart().readCsr(CsrAddress.MEPC)).isEqualTo(BASE);
    }

    @Test
    void accessesOutsideRamAndDevicesFault() {
        TestBoard board = board(ld(A0, 0, 16));
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(16);
    }

    @Test
    void aTrapLoopStillReturnsWhenTheBudgetIsUsed() {
        TestBoard board = new TestBoard();
        board.hart().writeCsr(CsrAddress.MTVEC, 0);
        board.hart().setPc(0);
        assertThat(board.hart().run(1000)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
    }
}
