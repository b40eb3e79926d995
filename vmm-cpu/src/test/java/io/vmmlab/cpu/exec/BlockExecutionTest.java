package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The block interpreter's own guarantees: budgets are never exceeded inside a block, traps in the middle of a
 * block are precise, the hot loop's memory fast paths fall back correctly at page and RAM ends, jumps to
 * misaligned targets trap only when taken, instructions across a page boundary run, and FENCE.I drops decoded
 * code.
 */
final class BlockExecutionTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x400;
    private static final int LENGTH = 20;

    private static TestBoard counting() {
        int[] program = new int[LENGTH + 1];
        for (int i = 0; i < LENGTH; i++) {
            program[i] = addi(A0, A0, 1);
        }
        program[LENGTH] = wfi();
        TestBoard board = new TestBoard();
        board.load(BASE, program);
        return board;
    }

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {1, 2, 3, 7, 19, 20, 21})
    void aBudgetSmallerThanTheBlockIsMetExactly(int budget) {
        TestBoard board = counting();
        Rv64Hart hart = board.hart();
        HartExit exit = hart.run(budget);
        long expected = Math.min(budget, LENGTH + 1);
        assertThat(hart.instructionsRetired()).isEqualTo(expected);
        assertThat(hart.register(A0)).isEqualTo(Math.min(budget, LENGTH));
        assertThat(hart.pc()).isEqualTo(BASE + 4 * expected);
        assertThat(exit).isEqualTo(budget > LENGTH ? HartExit.WAIT_FOR_INTERRUPT : HartExit.BUDGET_EXHAUSTED);
    }

    @ParameterizedTest(name = "slices of {0}")
    @ValueSource(ints = {1, 3, 8})
    void runningInSlicesNeverExceedsASlice(int slice) {
        TestBoard board = counting();
        Rv64Hart hart = board.hart();
        HartExit exit;
        do {
            long before = hart.instructionsRetired();
            exit = hart.run(slice);
            assertThat(hart.instructionsRetired() - before).isBetween(1L, (long) slice);
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.instructionsRetired()).isEqualTo(LENGTH + 1);
        assertThat(hart.register(A0)).isEqualTo(LENGTH);
    }

    @ParameterizedTest(name = "slices of {0}")
    @ValueSource(ints = {1, 2, 3, 100})
    void auipcSeesItsOwnPcWhetherTheBlockRunsWholeOrInParts(int slice) {
        // A block cut by the budget runs its part one by one, outside the hot loop, and the next run decodes a block
        // at the cut; AUIPC must see its own pc on both paths.
        int[] registers = {A0, A1, A2, A3, A4};
        int[] program = new int[registers.length + 1];
        for (int i = 0; i < registers.length; i++) {
            program[i] = auipc(registers[i], i + 1);
        }
        program[registers.length] = wfi();
        TestBoard board = new TestBoard();
        board.load(BASE, program);
        Rv64Hart hart = board.hart();
        HartExit exit;
        do {
            exit = hart.run(slice);
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        for (int i = 0; i < registers.length; i++) {
            assertThat(hart.register(registers[i])).as("x%d", registers[i]).isEqualTo(BASE + 4L * i + ((i + 1L) << 12));
        }
    }

    @Test
    void auipcAfterALoadTheDriverRanSeesItsOwnPc() {
        // The load misses the TLB, so the driver runs it and the hot loop resumes the block at its next instruction:
        // the body then starts in the middle, where AUIPC must still add its own offset to the block's pc.
        TestBoard board = new TestBoard();
        board.load(BASE, new int[] {addi(A1, A1, 0), ld(A0, A2, 0), auipc(A3, 1), wfi()});
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, BASE + 0x8000);

        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A3)).isEqualTo(BASE + 8 + (1L << 12));
        assertThat(hart.instructionsRetired()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0} fault")
    @CsvSource({"load, 5", "store, 7"})
    void aFaultInTheMiddleOfABlockIsPrecise(String kind, long cause) {
        TestBoard board = new TestBoard();
        int access = kind.equals("load") ? ld(A0, 0, 16) : sd(A1, 0, 16);
        board.load(BASE, addi(A1, 0, 1), addi(A2, 0, 2), access, addi(A3, 0, 3), wfi());
        board.load(HANDLER, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.setRegister(A0, 42);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(cause);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 8);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(16);
        assertThat(hart.register(A0)).isEqualTo(42);
        assertThat(hart.register(A2)).isEqualTo(2);
        assertThat(hart.register(A3)).isZero();
        assertThat(hart.instructionsRetired()).isEqualTo(3); // two addi, then the handler's wfi
    }

    @Test
    void countersReadInsideABlockAreExact() {
        TestBoard board = new TestBoard();
        board.load(BASE, addi(A1, 0, 1), addi(A2, 0, 2), addi(A3, 0, 3), csrrs(A0, CsrAddress.MINSTRET, 0), wfi());
        Rv64Hart hart = board.hart();
        hart.run(100);
        assertThat(hart.register(A0)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}-byte loads at the end of a page and of RAM")
    @ValueSource(ints = {1, 2, 4, 8})
    void loadsAtPageAndRamEndsReadOnlyTheirBytes(int size) {
        int funct3 = switch (size) {
            case 1 -> 4;
            case 2 -> 5;
            case 4 -> 6;
            default -> 3;
        };
        long ramEnd = BASE + (1 << 20);
        long[] addresses = {BASE + 0x3000 - size, BASE + 0x3000 - size - 1, ramEnd - size};
        for (long address : addresses) {
            TestBoard board = new TestBoard();
            board.load(BASE, load(funct3, A0, A1, 0), load(funct3, A2, A1, 0), wfi());
            for (int i = -8; i < 8; i++) {
                if (address + i < ramEnd) {
                    board.memory().write8(address + i, 0x10 + i);
                }
            }
            Rv64Hart hart = board.hart();
            hart.setRegister(A1, address);
            assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
            long expected = 0;
            for (int i = size - 1; i >= 0; i--) {
                expected = expected << 8 | (0x10 + i);
            }
            assertThat(hart.register(A0)).as("0x%x", address).isEqualTo(expected);
            assertThat(hart.register(A2)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "branch taken={0}")
    @ValueSource(booleans = {true, false})
    void branchesToMisalignedTargetsTrapOnlyWhenTakenWithoutCompressed(boolean taken) {
        TestBoard board = new TestBoard("rv64ima", 1 << 20);
        board.load(BASE, addi(A1, 0, 1), beq(A0, 0, 6), wfi());
        board.load(HANDLER, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.setRegister(A0, taken ? 0 : 1);
        hart.run(100);
        if (taken) {
            assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED);
            assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + 10);
            assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
            assertThat(hart.pc()).isEqualTo(HANDLER + 4);
        } else {
            assertThat(hart.pc()).isEqualTo(BASE + 12);
            assertThat(hart.instructionsRetired()).isEqualTo(3);
        }
        assertThat(hart.register(A1)).isEqualTo(1);
    }

    @Test
    void jalrToAMisalignedTargetTrapsAndLeavesTheLinkRegister() {
        TestBoard board = new TestBoard("rv64ima", 1 << 20);
        board.load(BASE, jalr(A0, A0, 2));
        board.load(HANDLER, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.setRegister(A0, BASE + 0x100);
        hart.run(100);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + 0x102);
        assertThat(hart.register(A0)).isEqualTo(BASE + 0x100);
    }

    @Test
    void anInstructionAcrossAPageBoundaryRuns() {
        TestBoard board = new TestBoard();
        long start = BASE + 0xff8;
        for (int i = 0; i < 3; i++) {
            board.memory().write16(start + 2L * i, cNop());
        }
        int crossing = addi(A0, 0, 77);
        board.memory().write16(BASE + 0xffe, crossing & 0xffff);
        board.memory().write16(BASE + 0x1000, crossing >>> 16);
        board.memory().write32(BASE + 0x1002, wfi());
        Rv64Hart hart = board.hart();
        hart.flushCaches();
        hart.setPc(start);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(77);
        assertThat(hart.instructionsRetired()).isEqualTo(5);
    }

    @Test
    void fenceIDropsDecodedCode() {
        TestBoard board = new TestBoard();
        board.load(BASE, addi(A0, 0, 1), wfi());
        board.load(BASE + 0x100, fenceI(), wfi());
        Rv64Hart hart = board.hart();
        hart.run(100);
        assertThat(hart.register(A0)).isEqualTo(1);
        board.memory().write32(BASE, addi(A0, 0, 2));
        board.addHart(null).invalidateCode(BASE, 4); // told to another hart only: old code may run until FENCE.I
        hart.setPc(BASE + 0x100);
        hart.run(100);
        hart.setPc(BASE);
        hart.run(100);
        assertThat(hart.register(A0)).isEqualTo(2);
    }

    /**
     * A translation flush keeps decoded code (it depends only on memory, which the host must report rewriting with
     * invalidateCode), where a full flush drops it: code rewritten behind the hart's back runs old after the first,
     * new after the second.
     */
    @Test
    void aTranslationFlushKeepsDecodedCodeAndAFullFlushDropsIt() {
        TestBoard board = new TestBoard();
        board.load(BASE, addi(A0, 0, 1), wfi());
        Rv64Hart hart = board.hart();
        hart.run(100);
        board.memory().write32(BASE, addi(A0, 0, 2)); // behind the hart's back

        hart.flushTranslations();
        hart.setPc(BASE);
        hart.run(100);
        assertThat(hart.register(A0)).as("decoded code kept").isEqualTo(1);
        hart.flushCaches();
        hart.setPc(BASE);
        hart.run(100);
        assertThat(hart.register(A0)).as("decoded code dropped").isEqualTo(2);
    }

    @Test
    void aStoreIntoALinkedSuccessorBlockIsSeen() {
        TestBoard board = new TestBoard();
        board.load(BASE, addi(A0, A0, 1), jal(0, 0x3c));
        board.load(BASE + 0x40, addi(A1, A1, 1), bne(A0, A2, -0x44), wfi());
        board.load(BASE + 0x100, sw(A3, A4, 0), jal(0, -0x104));
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, 3);
        hart.setRegister(A3, addi(A1, A1, 10));
        hart.setRegister(A4, BASE + 0x40);
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A1)).isEqualTo(3);
        hart.setRegister(A2, 6);
        hart.setPc(BASE + 0x100); // rewrites the loop's second block, which the first one is linked to
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(6);
        assertThat(hart.register(A1)).isEqualTo(33);
    }

    @Test
    void aStoreOverTheRestOfTheRunningBlockIsSeen() {
        TestBoard board = new TestBoard();
        board.load(BASE, sw(A2, A1, 12), addi(A0, 0, 1), addi(A0, A0, 1), addi(A0, A0, 1), addi(A0, A0, 1), wfi());
        Rv64Hart hart = board.hart();
        hart.setRegister(A1, BASE);
        hart.setRegister(A2, addi(A0, A0, 10));
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(13);
        assertThat(hart.instructionsRetired()).isEqualTo(6);
    }
}
