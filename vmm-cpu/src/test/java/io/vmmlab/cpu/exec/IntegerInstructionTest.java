package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class IntegerInstructionTest {
    private static final int RD = 3;
    private static final int RS1 = 1;
    private static final int RS2 = 2;

    /**
     * Runs one instruction twice: alone with a budget of one (the interpreter's one-by-one path), and followed by
     * WFI as a whole block (its hot loop); both must agree.
     */
    private static long execute(int instruction, long a, long b) {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, instruction);
        board.hart().setRegister(RS1, a);
        board.hart().setRegister(RS2, b);
        assertThat(board.hart().run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(board.hart().pc()).isEqualTo(TestBoard.RAM_BASE + 4);
        long slow = board.hart().register(RD);

        TestBoard block = new TestBoard();
        block.load(TestBoard.RAM_BASE, instruction, wfi());
        block.hart().setRegister(RS1, a);
        block.hart().setRegister(RS2, b);
        assertThat(block.hart().run(10)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(block.hart().instructionsRetired()).isEqualTo(2);
        assertThat(block.hart().register(RD)).as("hot loop").isEqualTo(slow);
        return slow;
    }

    @ParameterizedTest(name = "0x{0} -> x{1} = {2}")
    @CsvSource({
        // Encodings taken from the ISA manual's examples and objdump of riscv-tests.
        "00500093, 1, 5",        // addi x1, x0, 5
        "fff00093, 1, -1",       // addi x1, x0, -1
        "123450b7, 1, 305418240", // lui x1, 0x12345
        "800000b7, 1, -2147483648", // lui x1, 0x80000 (sign-extended on RV64)
    })
    void specEncodings(String hex, int register, long expected) {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, (int) Long.parseLong(hex, 16));
        board.hart().run(1);
        assertThat(board.hart().register(register)).isEqualTo(expected);
    }

    static Stream<Arguments> registerOperations() {
        return Stream.of(
            Arguments.of("add", add(RD, RS1, RS2), 7L, -9L, -2L),
            Arguments.of("sub", sub(RD, RS1, RS2), 7L, 9L, -2L),
            Arguments.of("xor", xor(RD, RS1, RS2), 0xf0L, 0xffL, 0x0fL),
            Arguments.of("or", or(RD, RS1, RS2), 0xf0L, 0x0fL, 0xffL),
            Arguments.of("and", and(RD, RS1, RS2), 0xf0L, 0x3cL, 0x30L),
            Arguments.of("sll", op(1, 0, RD, RS1, RS2), 1L, 65L, 2L),
            Arguments.of("srl", op(5, 0, RD, RS1, RS2), -1L, 60L, 0xfL),
            Arguments.of("sra", op(5, 0x20, RD, RS1, RS2), -16L, 2L, -4L),
            Arguments.of("slt", op(2, 0, RD, RS1, RS2), -1L, 1L, 1L),
            Arguments.of("sltu", op(3, 0, RD, RS1, RS2), -1L, 1L, 0L),
            Arguments.of("addw", op32(0, 0, RD, RS1, RS2), 0x7fff_ffffL, 1L, -2147483648L),
            Arguments.of("subw", op32(0, 0x20, RD, RS1, RS2), 0L, 1L, -1L),
            Arguments.of("sllw", op32(1, 0, RD, RS1, RS2), 1L, 31L, -2147483648L),
            Arguments.of("srlw", op32(5, 0, RD, RS1, RS2), -1L, 4L, 0x0fff_ffffL),
            Arguments.of("sraw", op32(5, 0x20, RD, RS1, RS2), 0x8000_0000L, 4L, 0xffff_ffff_f800_0000L),
            Arguments.of("mul", mul(RD, RS1, RS2), -3L, 5L, -15L),
            Arguments.of("mulh", op(1, 1, RD, RS1, RS2), Long.MIN_VALUE, 2L, -1L),
            Arguments.of("mulhu", op(3, 1, RD, RS1, RS2), -1L, -1L, -2L),
            Arguments.of("mulhsu", op(2, 1, RD, RS1, RS2), -1L, -1L, -1L),
            Arguments.of("mulw", op32(0, 1, RD, RS1, RS2), 0x10000L, 0x10000L, 0L),
            Arguments.of("div", div(RD, RS1, RS2), -7L, 2L, -3L),
            Arguments.of("div by zero", div(RD, RS1, RS2), 5L, 0L, -1L),
            Arguments.of("div overflow", div(RD, RS1, RS2), Long.MIN_VALUE, -1L, Long.MIN_VALUE),
            Arguments.of("divu by zero", op(5, 1, RD, RS1, RS2), 5L, 0L, -1L),
            Arguments.of("rem", op(6, 1, RD, RS1, RS2), -7L, 2L, -1L),
            Arguments.of("rem by zero", op(6, 1, RD, RS1, RS2), -7L, 0L, -7L),
            Arguments.of("remu", op(7, 1, RD, RS1, RS2), -1L, 10L, 5L),
            Arguments.of("divw", op32(4, 1, RD, RS1, RS2), 0x8000_0000L, -1L, -2147483648L),
            Arguments.of("divuw", op32(5, 1, RD, RS1, RS2), -1L, 2L, 0x7fff_ffffL),
            Arguments.of("remw", op32(6, 1, RD, RS1, RS2), -7L, 0L, -7L),
            Arguments.of("remuw", op32(7, 1, RD, RS1, RS2), -1L, 0L, -1L),
            Arguments.of("addi", addi(RD, RS1, -2048), 0L, 0L, -2048L),
            Arguments.of("slti", slti(RD, RS1, -1), -2L, 0L, 1L),
            Arguments.of("sltiu", sltiu(RD, RS1, -1), 5L, 0L, 1L),
            Arguments.of("xori", xori(RD, RS1, -1), 0L, 0L, -1L),
            Arguments.of("ori", ori(RD, RS1, 0x70f), 0xf0L, 0L, 0x7ffL),
            Arguments.of("andi", andi(RD, RS1, 0xff), -1L, 0L, 0xffL),
            Arguments.of("slli", slli(RD, RS1, 63), 1L, 0L, Long.MIN_VALUE),
            Arguments.of("srli", srli(RD, RS1, 63), -1L, 0L, 1L),
            Arguments.of("srai", srai(RD, RS1, 63), Long.MIN_VALUE, 0L, -1L),
            Arguments.of("addiw", addiw(RD, RS1, 1), 0x7fff_ffffL, 0L, -2147483648L),
            Arguments.of("slliw", iType(0x1b, 1, RD, RS1, 31), 1L, 0L, -2147483648L),
            Arguments.of("srliw", iType(0x1b, 5, RD, RS1, 31), 0x8000_0000L, 0L, 1L),
            Arguments.of("sraiw", iType(0x1b, 5, RD, RS1, 0x400 | 31), 0x8000_0000L, 0L, -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registerOperations")
    void computesTheSpecifiedResult(String name, int instruction, long a, long b, long expected) {
        assertThat(execute(instruction, a, b)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "branch funct3={0}")
    @CsvSource({"0, 5, 5, true", "0, 5, 6, false", "1, 5, 6, true", "4, -1, 0, true", "5, -1, 0, false",
        "6, -1, 0, false", "7, -1, 0, true"})
    void branchesCompareAsSpecified(int funct3, long a, long b, boolean taken) {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, bType(funct3, RS1, RS2, 16));
        board.hart().setRegister(RS1, a);
        board.hart().setRegister(RS2, b);
        board.hart().run(1);
        assertThat(board.hart().pc()).isEqualTo(TestBoard.RAM_BASE + (taken ? 16 : 4));
    }

    @ParameterizedTest(name = "load funct3={0}")
    @CsvSource({"0, -128", "4, 128", "1, -32640", "5, 32896", "2, -2139062144", "6, 2155905152",
        "3, -9187201950435737472"})
    void loadsExtendAsSpecified(int funct3, long expected) {
        for (int budget : new int[] {1, 10}) {
            TestBoard board = new TestBoard();
            board.load(TestBoard.RAM_BASE, load(funct3, RD, RS1, 0), wfi());
            board.memory().write64(TestBoard.RAM_BASE + 0x1000, 0x8080_8080_8080_8080L);
            board.hart().setRegister(RS1, TestBoard.RAM_BASE + 0x1000);
            board.hart().run(budget);
            assertThat(board.hart().register(RD)).as("budget " + budget).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "misaligned store+load at offset {0}")
    @CsvSource({"1", "3", "7", "4095", "4093"})
    void misalignedAccessesAreEmulated(int offset) {
        for (int budget : new int[] {2, 10}) {
            TestBoard board = new TestBoard();
            board.load(TestBoard.RAM_BASE, sd(RS2, RS1, 0), ld(RD, RS1, 0), wfi());
            board.hart().setRegister(RS1, TestBoard.RAM_BASE + 0x2000 + offset);
            board.hart().setRegister(RS2, 0x1122_3344_5566_7788L);
            board.hart().run(budget);
            assertThat(board.hart().register(RD)).as("budget " + budget).isEqualTo(0x1122_3344_5566_7788L);
            assertThat(board.memory().read8(TestBoard.RAM_BASE + 0x2000 + offset)).isEqualTo(0x88);
        }
    }

    @ParameterizedTest(name = "misaligned {0} across the end of RAM")
    @CsvSource({"store", "load"})
    void aMisalignedAccessAcrossTheEndOfRamFaultsAtTheFirstByteOutsideAndChangesNothing(String kind) {
        long end = TestBoard.RAM_BASE + (1 << 20);
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, kind.equals("store") ? sd(RS2, RS1, 0) : ld(RD, RS1, 0));
        board.memory().write32(end - 4, 0x5566_7788);
        board.hart().setRegister(RS1, end - 4);
        board.hart().setRegister(RS2, 0x1122_3344_0000_0000L);

        board.hart().run(1);

        long cause = kind.equals("store") ? io.vmmlab.api.cpu.TrapCause.STORE_ACCESS_FAULT
                : io.vmmlab.api.cpu.TrapCause.LOAD_ACCESS_FAULT;
        assertThat(board.hart().readCsr(io.vmmlab.cpu.csr.CsrAddress.MCAUSE)).isEqualTo(cause);
        assertThat(board.hart().readCsr(io.vmmlab.cpu.csr.CsrAddress.MTVAL)).isEqualTo(end);
        assertThat(board.memory().read32(end - 4)).isEqualTo(0x5566_7788);
        assertThat(board.hart().register(RD)).isZero();
    }

    @ParameterizedTest(name = "jal/jalr")
    @CsvSource({"true", "false"})
    void jumpsLinkTheNextPc(boolean register) {
        TestBoard board = new TestBoard();
        int jump = register ? jalr(RD, RS1, 3) : jal(RD, 0x20);
        board.load(TestBoard.RAM_BASE, jump);
        board.hart().setRegister(RS1, TestBoard.RAM_BASE + 0x40);
        board.hart().run(1);
        assertThat(board.hart().register(RD)).isEqualTo(TestBoard.RAM_BASE + 4);
        assertThat(board.hart().pc()).isEqualTo(TestBoard.RAM_BASE + (register ? 0x42 : 0x20));
    }

    @ParameterizedTest(name = "writes to x0 are discarded")
    @CsvSource({"true"})
    void registerZeroStaysZero(boolean unused) {
        TestBoard board = new TestBoard();
        board.load(TestBoard.RAM_BASE, addi(0, 0, 5), add(RD, 0, 0));
        board.hart().run(2);
        assertThat(board.hart().register(0)).isZero();
        assertThat(board.hart().register(RD)).isZero();
    }
}
