package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Callout instructions (custom-0 with a handler) and the xleakysensitive hart option. */
final class CalloutAndLeakyTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final int CALLOUT = 0x0000_500b;
    private static final long SSTATUS_SIE = 2;

    @Test
    void aCalloutRunsTheHandlerInLineWithoutATrap() {
        TestBoard board = new TestBoard();
        board.load(BASE, addi(A0, 0, 1), CALLOUT, addi(A0, A0, 1), wfi());
        List<Long> pcs = new ArrayList<>();
        board.hart().setCalloutHandler((hart, bits) -> {
            pcs.add(hart.pc());
            assertThat(bits).isEqualTo(CALLOUT);
            hart.setRegister(A0, hart.register(A0) + 10);
            hart.setPc(hart.pc() + 4);
        });
        board.hart().setTrapInterception(TrapInterception.MACHINE);

        assertThat(board.hart().run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        assertThat(pcs).containsExactly(BASE + 4);
        assertThat(board.hart().register(A0)).isEqualTo(12);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).as("no trap taken").isZero();
        assertThat(board.hart().instructionsRetired()).isEqualTo(4);
    }

    @Test
    void withoutAHandlerTheCalloutOpcodeIsIllegal() {
        TestBoard board = new TestBoard();
        board.load(BASE, CALLOUT);
        board.hart().setTrapInterception(TrapInterception.MACHINE);

        assertThat(board.hart().run(100)).isEqualTo(HartExit.TRAP);

        assertThat(board.hart().pendingTrap().code()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(board.hart().pendingTrap().tval()).isEqualTo(CALLOUT);
    }

    @Test
    void aHandlerMayEndTheRun() {
        TestBoard board = new TestBoard();
        board.load(BASE, CALLOUT, addi(A0, 0, 5));
        board.hart().setCalloutHandler((hart, bits) -> {
            hart.setPc(hart.pc() + 4);
            hart.requestExit();
        });

        assertThat(board.hart().run(100)).isEqualTo(HartExit.EXIT_REQUESTED);
        assertThat(board.hart().pc()).isEqualTo(BASE + 4);
    }

    @Test
    void leakySstatusAccessesInUserModeReadRealStateAndDropWritesSilently() {
        TestBoard board = new TestBoard("rv64imac_xleakysensitive", 1 << 20);
        board.load(BASE, csrrs(A0, CsrAddress.SSTATUS, 0), csrrsi(0, CsrAddress.SSTATUS, 2),
                csrrs(A1, CsrAddress.SSTATUS, 0), wfi());
        board.hart().writeCsr(CsrAddress.SSTATUS, 1L << 18); // SUM: a bit U-mode cannot normally see
        board.hart().setPrivilege(PrivilegeMode.USER, false);
        board.hart().setTrapInterception(TrapInterception.MACHINE);

        HartExit exit = board.hart().run(3);

        assertThat(exit).as("no trap").isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(board.hart().register(A0) & (1L << 18)).isNotZero();
        assertThat(board.hart().register(A1) & SSTATUS_SIE).as("the write was dropped").isZero();
        assertThat(board.hart().readCsr(CsrAddress.SSTATUS) & SSTATUS_SIE).isZero();
    }

    @Test
    void withoutTheOptionTheSameAccessTraps() {
        TestBoard board = new TestBoard();
        board.load(BASE, csrrs(A0, CsrAddress.SSTATUS, 0));
        board.hart().setPrivilege(PrivilegeMode.USER, false);
        board.hart().setTrapInterception(TrapInterception.MACHINE);

        assertThat(board.hart().run(3)).isEqualTo(HartExit.TRAP);
        assertThat(board.hart().pendingTrap().code()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
    }
}
