package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control flow between code pages: the interpreter's loop follows calls and returns into pages the fetch TLB maps
 * without leaving for its driver, so these runs go through that path from the second call on. A loop in one page
 * calls a function in the next page; the function counts its calls and faults on a chosen one.
 */
final class CrossPageExecutionTest {
    private static final long CALLER = TestBoard.RAM_BASE;
    private static final long CALLEE = CALLER + 0x1000;
    private static final long HANDLER = CALLER + 0x400;
    private static final long FENCE = CALLER + 0x800;

    private static TestBoard board(boolean translator) {
        TestBoard board = translator ? new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(0, 8192,
                TranslatorConfig.ON_THE_HART)) : new TestBoard();
        // Caller: a0 counts iterations up to a2, calling the function each time.
        board.load(CALLER, jal(RA, (int) (CALLEE - CALLER)), addi(A0, A0, 1), bne(A0, A2, -8), wfi());
        // Callee: a1 counts calls; the call that makes a1 equal a3 faults on a load from address 16.
        board.load(CALLEE, addi(A1, A1, 1), bne(A1, A3, 8), ld(A4, 0, 16), jalr(0, RA, 0));
        board.load(HANDLER, wfi());
        board.load(FENCE, fenceI(), jal(0, (int) (CALLER - FENCE - 4)));
        board.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        return board;
    }

    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void callsIntoAnotherPageRunWithExactCounts(boolean translator) {
        Rv64Hart hart = board(translator).hart();
        hart.setRegister(A2, 50);
        hart.setRegister(A3, -1); // never faults

        assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        assertThat(hart.register(A0)).isEqualTo(50);
        assertThat(hart.register(A1)).isEqualTo(50);
        assertThat(hart.pc()).isEqualTo(CALLER + 16); // past the wfi
        // jal; addi, bne, jalr; addi, bne per iteration, then the wfi
        assertThat(hart.instructionsRetired()).isEqualTo(50 * 6 + 1);
    }

    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void aFaultInTheOtherPageIsPrecise(boolean translator) {
        Rv64Hart hart = board(translator).hart();
        hart.setRegister(A2, 50);
        hart.setRegister(A3, 30);

        assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(5); // load access fault
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(CALLEE + 8);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(16);
        assertThat(hart.register(A0)).isEqualTo(29);
        assertThat(hart.register(A1)).isEqualTo(30);
        // 29 whole iterations, then jal, addi and bne of the 30th call, then the handler's wfi
        assertThat(hart.instructionsRetired()).isEqualTo(29 * 6 + 3 + 1);
        assertThat(hart.pc()).isEqualTo(HANDLER + 4);
    }

    /** Code rewritten in the other page is seen after FENCE.I, although the caller's loop had it mapped. */
    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void rewrittenCodeInTheOtherPageRunsAfterFenceI(boolean translator) {
        TestBoard board = board(translator);
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, 20);
        hart.setRegister(A3, -1);
        assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A1)).isEqualTo(20);

        board.memory().write32(CALLEE, addi(A1, A1, 3)); // told to another hart only, then FENCE.I
        board.addHart(null).invalidateCode(CALLEE, 4);
        hart.setRegister(A0, 0);
        hart.setRegister(A1, 0);
        hart.setPc(FENCE);
        assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);

        assertThat(hart.register(A0)).isEqualTo(20);
        assertThat(hart.register(A1)).isEqualTo(60);
    }
}
