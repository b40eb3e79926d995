package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run whose budget ends with a jump out of the code page must stop there: the fetch at the target (here an access
 * fault, outside RAM) belongs to the next run. Found by LongFuzzCampaign (a reference stepping one instruction per
 * budget unit disagreed with {@code run(1)}): the driver fetched the next page before it checked the budget, so
 * {@code run(1)} retired the jump and also took the fault, two units of a budget of one (traps count against the
 * budget, see {@link Rv64Hart}), on both engines.
 */
final class FetchFaultAtBudgetEndTest {
    private static final long HANDLER = TestBoard.RAM_BASE + 0x2000;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFetchFaultPastTheBudgetWaitsForTheNextRun(boolean translated) {
        TestBoard board = new TestBoard("rv64imac", 1 << 16, translated ? new TranslatorConfig(0, 8192) : null);
        board.load(TestBoard.RAM_BASE, addi(T0, T0, 1), jalr(ZERO, A3, 0));
        board.load(HANDLER, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.setRegister(A3, 0x1000); // no RAM there

        assertThat(hart.run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(hart.pc()).isEqualTo(TestBoard.RAM_BASE + 4);
        assertThat(hart.run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(hart.instructionsRetired()).isEqualTo(2);
        assertThat(hart.pc()).as("the jump retired, its target not fetched yet").isEqualTo(0x1000);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).as("no trap yet").isZero();

        assertThat(hart.run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(hart.pc()).isEqualTo(HANDLER);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(1); // instruction access fault
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(0x1000);
        assertThat(hart.instructionsRetired()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFetchFaultPastTheBudgetWaitsInLongerRunsToo(boolean translated) {
        TestBoard board = new TestBoard("rv64imac", 1 << 16, translated ? new TranslatorConfig(0, 8192) : null);
        // A loop of three that leaves, on its fourth round, for an address outside RAM.
        board.load(TestBoard.RAM_BASE, addi(T0, T0, 1), blt(T0, T1, -4), jalr(ZERO, A3, 0));
        board.load(HANDLER, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.setRegister(T1, 4);
        hart.setRegister(A3, 0x1000);

        assertThat(hart.run(9)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(hart.pc()).isEqualTo(0x1000);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isZero();
    }
}
