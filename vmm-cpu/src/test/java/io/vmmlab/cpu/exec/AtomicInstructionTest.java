package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class AtomicInstructionTest {
    private static final long DATA = TestBoard.RAM_BASE + 0x8000;

    private static TestBoard board(int... program) {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, program);
        board.hart().setRegister(A1, DATA);
        board.hart().writeCsr(CsrAddress.MTVEC, TestBoard.RAM_BASE + 0x400);
        return board;
    }

    @Test
    void loadReservedThenStoreConditionalSucceeds() {
        TestBoard board = board(amo(0x02, true, A0, A1, 0), amo(0x03, true, A2, A1, A3));
        board.memory().write64(DATA, 7);
        board.hart().setRegister(A3, 8);
        board.hart().run(2);
        assertThat(board.hart().register(A0)).isEqualTo(7);
        assertThat(board.hart().register(A2)).isZero();
        assertThat(board.memory().read64(DATA)).isEqualTo(8);
    }

    /**
     * A load-reserved a VMM performs for the hart (Hart.loadReserved: an LR it emulated) leaves the reservation the
     * hart's own LR would: the hart's SC then succeeds, and a second SC (the reservation gone) fails.
     */
    @Test
    void aLoadReservedTheHostPerformsGivesTheHartItsReservation() {
        TestBoard board = board(amo(0x03, true, A2, A1, A3), amo(0x03, true, A4, A1, A3));
        board.memory().write64(DATA, 7);
        board.hart().setRegister(A3, 8);

        long value = board.hart().loadReserved(DATA, 8, () -> board.memory().read64(DATA));
        board.hart().run(2);

        assertThat(value).isEqualTo(7);
        assertThat(board.hart().register(A2)).as("the SC after it").isZero();
        assertThat(board.hart().register(A4)).as("a second SC").isEqualTo(1);
        assertThat(board.memory().read64(DATA)).isEqualTo(8);
    }

    @Test
    void storeConditionalWithoutReservationFails() {
        TestBoard board = board(amo(0x03, true, A2, A1, A3));
        board.hart().setRegister(A3, 8);
        board.hart().run(1);
        assertThat(board.hart().register(A2)).isEqualTo(1);
        assertThat(board.memory().read64(DATA)).isZero();
    }

    @Test
    void storeConditionalFailsAfterTheWordChanged() {
        TestBoard board = board(amo(0x02, false, A0, A1, 0), sw(A4, A1, 0), amo(0x03, false, A2, A1, A3));
        board.hart().setRegister(A4, 3);
        board.hart().setRegister(A3, 9);
        board.hart().run(3);
        assertThat(board.hart().register(A2)).isEqualTo(1);
        assertThat(board.memory().read32(DATA)).isEqualTo(3);
    }

    @ParameterizedTest(name = "funct5=0x{0} doubleword={1}")
    @CsvSource({
        "00, false, -1, 1, -1, 0",           // amoadd.w: 0xffffffff + 1 = 0, old sign-extended
        "01, true, 5, 6, 5, 6",              // amoswap.d
        "04, true, 12, 10, 12, 6",           // amoxor.d
        "0c, true, 12, 10, 12, 8",           // amoand.d
        "08, true, 12, 3, 12, 15",           // amoor.d
        "10, false, -5, 3, -5, -5",          // amomin.w
        "14, false, -5, 3, -5, 3",           // amomax.w
        "18, true, -5, 3, -5, 3",            // amominu.d
        "1c, true, -5, 3, -5, -5",           // amomaxu.d
    })
    void memoryOperationsReturnTheOldValue(String funct5, boolean doubleword, long initial, long operand,
                                           long expectedRd, long expectedMemory) {
        TestBoard board = board(amo(Integer.parseInt(funct5, 16), doubleword, A0, A1, A3));
        board.memory().write64(DATA, doubleword ? initial : initial & 0xffff_ffffL);
        board.hart().setRegister(A3, operand);
        board.hart().run(1);
        assertThat(board.hart().register(A0)).isEqualTo(expectedRd);
        long memory = doubleword ? board.memory().read64(DATA) : board.memory().read32(DATA);
        assertThat(memory).isEqualTo(expectedMemory);
    }

    @Test
    void misalignedAtomicsTrap() {
        TestBoard board = board(amo(0x00, true, A0, A1, A3));
        board.hart().setRegister(A1, DATA + 4);
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.STORE_ADDRESS_MISALIGNED);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(DATA + 4);
    }

    @Test
    void concurrentAmoAddsFromTwoHartsLoseNothing() throws InterruptedException {
        TestBoard board = board(amo(0x00, true, 0, A1, A3), jal(0, -4));
        board.hart().setRegister(A3, 1);
        io.vmmlab.cpu.rv64.Rv64Hart second = new io.vmmlab.cpu.rv64.Rv64Hart(
                new io.vmmlab.api.cpu.HartConfig(1, io.vmmlab.api.cpu.IsaSpec.parse("rv64imac"), TestBoard.RAM_BASE,
                        java.util.Set.of()),
                new io.vmmlab.api.cpu.HartResources(board.memory(), board.mmio(), board.time(),
                        new io.vmmlab.api.testing.SimpleCounters()));
        second.setRegister(A1, DATA);
        second.setRegister(A3, 1);
        Thread other = new Thread(() -> second.run(200_000));
        other.start();
        board.hart().run(200_000);
        other.join();
        assertThat(board.memory().read64(DATA)).isEqualTo(200_000);
    }
}
