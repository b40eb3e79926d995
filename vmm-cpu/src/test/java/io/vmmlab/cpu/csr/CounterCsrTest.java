package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class CounterCsrTest {

    @Test
    void writingMinstretSuppressesTheWritingInstructionsIncrement() {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, csrrw(0, CsrAddress.MINSTRET, A1), csrrs(A0, CsrAddress.MINSTRET, 0));
        board.hart().setRegister(A1, 100);
        board.hart().run(2);
        assertThat(board.hart().register(A0)).isEqualTo(100);
    }

    @Test
    void instretCountsRetiredInstructionsAndTheCounterIsUpdatedAtExit() {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, addi(A0, 0, 1), addi(A0, 0, 2), addi(A0, 0, 3), csrrs(A1, CsrAddress.INSTRET, 0));
        board.hart().run(4);
        assertThat(board.hart().register(A1)).isEqualTo(3);
        assertThat(board.hart().instructionsRetired()).isEqualTo(4);
        assertThat(board.counters().snapshot().get("hart", "instructions")).isEqualTo(4);
    }

    @Test
    void inhibitFreezesMinstret() {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, addi(0, 0, 0), addi(0, 0, 0), csrrs(A0, CsrAddress.MINSTRET, 0));
        board.hart().writeCsr(CsrAddress.MCOUNTINHIBIT, 4);
        long frozen = board.hart().readCsr(CsrAddress.MINSTRET);
        board.hart().run(3);
        assertThat(board.hart().register(A0)).isEqualTo(frozen);
    }

    @Test
    void userCounterAccessFollowsCounterEnables() {
        TestBoard board = new TestBoard();
        Rv64Hart hart = board.hart();
        board.load(TestBoard.RAM_BASE, csrrs(A0, CsrAddress.CYCLE, 0));
        hart.writeCsr(CsrAddress.MTVEC, TestBoard.RAM_BASE + 0x400);
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);

        hart.writeCsr(CsrAddress.MCOUNTEREN, 1);
        hart.writeCsr(CsrAddress.SCOUNTEREN, 1);
        hart.writeCsr(CsrAddress.MCAUSE, 0);
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.setPc(TestBoard.RAM_BASE);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isZero();
        assertThat(hart.pc()).isEqualTo(TestBoard.RAM_BASE + 4);
    }

    @Test
    void hardwiredAndWarlRegistersReadAsDocumented() {
        Rv64Hart hart = new TestBoard().hart();
        assertThat(hart.readCsr(CsrAddress.HPMCOUNTER3)).isZero();
        hart.writeCsr(CsrAddress.MHPMEVENT3, 5);
        assertThat(hart.readCsr(CsrAddress.MHPMEVENT3)).isZero();
        long misa = hart.readCsr(CsrAddress.MISA);
        assertThat(misa >>> 62).isEqualTo(2);
        assertThat(misa & (1 << ('c' - 'a'))).isNotZero();
        hart.writeCsr(CsrAddress.MISA, 0);
        assertThat(hart.readCsr(CsrAddress.MISA)).isEqualTo(misa);
        hart.writeCsr(CsrAddress.PMPADDR0, -1);
        assertThat(hart.readCsr(CsrAddress.PMPADDR0)).isEqualTo((1L << 54) - 1);
        hart.writeCsr(CsrAddress.PMPCFG0, 0x1f);
        assertThat(hart.readCsr(CsrAddress.PMPCFG0)).isEqualTo(0x1f);
        hart.writeCsr(CsrAddress.MSTATUS, 2L << CsrAddress.STATUS_MPP_SHIFT);
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & CsrAddress.STATUS_MPP).isZero();
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & CsrAddress.STATUS_XLEN64).isEqualTo(CsrAddress.STATUS_XLEN64);
    }

    @Test
    void stimecmpExistsOnlyWithSstc() {
        TestBoard withSstc = new TestBoard("rv64imac_sstc", 1 << 20);
        withSstc.load(TestBoard.RAM_BASE, csrrs(A0, CsrAddress.STIMECMP, 0));
        withSstc.hart().writeCsr(CsrAddress.MENVCFG, CsrAddress.ENVCFG_STCE);
        assertThat(withSstc.hart().readCsr(CsrAddress.MENVCFG)).isEqualTo(CsrAddress.ENVCFG_STCE);
        withSstc.hart().run(1);
        assertThat(withSstc.hart().readCsr(CsrAddress.MCAUSE)).isZero();
        assertThat(withSstc.hart().register(A0)).isEqualTo(-1L);

        TestBoard without = new TestBoard("rv64imac", 1 << 20);
        without.load(TestBoard.RAM_BASE, csrrs(A0, CsrAddress.STIMECMP, 0));
        without.hart().writeCsr(CsrAddress.MENVCFG, CsrAddress.ENVCFG_STCE);
        assertThat(without.hart().readCsr(CsrAddress.MENVCFG)).isZero();
        without.hart().writeCsr(CsrAddress.MTVEC, TestBoard.RAM_BASE + 0x400);
        without.hart().run(1);
        assertThat(without.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(without.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(csrrs(A0, CsrAddress.STIMECMP, 0) & 0xffff_ffffL);
    }
}
