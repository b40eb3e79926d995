package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.cpu.testing.FloatAssembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The F and D instructions on both engines (the translator translating every block on its first execution): each
 * instruction alone and inside a block, NaN-boxing, rounding-mode selection, flag accrual, loads and stores,
 * compressed forms, and a loop whose blocks mix integer and floating-point instructions. Operands and results are
 * exactly representable, so no expectation depends on how the arithmetic core rounds (its own tests cover that).
 */
final class FloatInstructionTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x800;
    private static final long DATA = BASE + 0x2000;
    private static final long FS_INITIAL = 1L << 13;
    private static final long BOX = 0xffff_ffff_0000_0000L;
    private static final long CANONICAL_SINGLE = BOX | 0x7fc0_0000L;
    private static final long CANONICAL_DOUBLE = 0x7ff8_0000_0000_0000L;
    private static final int RD = 4;

    enum Engine {
        INTERPRETER, TRANSLATOR;

        TranslatorConfig config() {
            return this == INTERPRETER ? null : new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART);
        }
    }

    static long s(float value) {
        return BOX | (Float.floatToRawIntBits(value) & 0xffff_ffffL);
    }

    static long d(double value) {
        return Double.doubleToRawLongBits(value);
    }

    static TestBoard board(Engine engine, String isa, int... program) {
        TestBoard board = new TestBoard(isa, 1 << 20, engine.config());
        board.load(BASE, program);
        board.load(HANDLER, wfi());
        board.hart().writeCsr(CsrAddress.MTVEC, HANDLER);
        board.hart().writeCsr(CsrAddress.MSTATUS, FS_INITIAL);
        return board;
    }

    private static void inputs(Rv64Hart hart, long[] operands) {
        hart.setFloatRegister(1, operands[0]);
        hart.setFloatRegister(2, operands[1]);
        hart.setFloatRegister(3, operands[2]);
        hart.setRegister(1, operands[3]);
    }

    /** Operand sets: f1, f2, f3, x1. */
    private static long[] of(long f1, long f2, long f3, long x1) {
        return new long[] {f1, f2, f3, x1};
    }

    static Stream<Arguments> instructions() {
        List<Arguments> cases = new ArrayList<>();
        // name, instruction, operands, result in f4 (true) or x4, expected
        cases.add(Arguments.of("fadd.s", fadd(S, RD, 1, 2), of(s(1.5f), s(2.25f), 0, 0), true, s(3.75f)));
        cases.add(Arguments.of("fsub.s", fsub(S, RD, 1, 2), of(s(1f), s(4f), 0, 0), true, s(-3f)));
        cases.add(Arguments.of("fmul.s", fmul(S, RD, 1, 2), of(s(1.5f), s(-2f), 0, 0), true, s(-3f)));
        cases.add(Arguments.of("fdiv.s", fdiv(S, RD, 1, 2), of(s(7f), s(2f), 0, 0), true, s(3.5f)));
        cases.add(Arguments.of("fsqrt.s", fsqrt(S, RD, 1), of(s(6.25f), 0, 0, 0), true, s(2.5f)));
        cases.add(Arguments.of("fmadd.s", fused(0x43, S, RD, 1, 2, 3), of(s(2f), s(3f), s(1f), 0), true, s(7f)));
        cases.add(Arguments.of("fmsub.s", fused(0x47, S, RD, 1, 2, 3), of(s(2f), s(3f), s(1f), 0), true, s(5f)));
        cases.add(Arguments.of("fnmsub.s", fused(0x4b, S, RD, 1, 2, 3), of(s(2f), s(3f), s(1f), 0), true, s(-5f)));
        cases.add(Arguments.of("fnmadd.s", fused(0x4f, S, RD, 1, 2, 3), of(s(2f), s(3f), s(1f), 0), true, s(-7f)));
        cases.add(Arguments.of("fsgnj.s", fsgnj(S, 0, RD, 1, 2), of(s(2f), s(-1f), 0, 0), true, s(-2f)));
        cases.add(Arguments.of("fsgnjn.s", fsgnj(S, 1, RD, 1, 2), of(s(2f), s(-1f), 0, 0), true, s(2f)));
        cases.add(Arguments.of("fsgnjx.s", fsgnj(S, 2, RD, 1, 2), of(s(-2f), s(-1f), 0, 0), true, s(2f)));
        cases.add(Arguments.of("fmin.s -0 +0", fmin(S, RD, 1, 2), of(s(0f), s(-0f), 0, 0), true, s(-0f)));
        cases.add(Arguments.of("fmax.s -0 +0", fmax(S, RD, 1, 2), of(s(-0f), s(0f), 0, 0), true, s(0f)));
        cases.add(Arguments.of("fmax.s qNaN", fmax(S, RD, 1, 2), of(s(1f), CANONICAL_SINGLE, 0, 0), true, s(1f)));
        cases.add(Arguments.of("fmin.s NaN NaN", fmin(S, RD, 1, 2), of(CANONICAL_SINGLE, CANONICAL_SINGLE, 0, 0),
                true, CANONICAL_SINGLE));
        cases.add(Arguments.of("feq.s", fcompare(S, 2, RD, 1, 2), of(s(1f), s(1f), 0, 0), false, 1L));
        cases.add(Arguments.of("flt.s", fcompare(S, 1, RD, 1, 2), of(s(1f), s(1f), 0, 0), false, 0L));
        cases.add(Arguments.of("fle.s", fcompare(S, 0, RD, 1, 2), of(s(-1f), s(1f), 0, 0), false, 1L));
        cases.add(Arguments.of("fclass.s -inf", fclass(S, RD, 1), of(s(Float.NEGATIVE_INFINITY), 0, 0, 0), false,
                1L));
        cases.add(Arguments.of("fclass.s +0", fclass(S, RD, 1), of(s(0f), 0, 0, 0), false, 1L << 4));
        cases.add(Arguments.of("fclass.s sNaN", fclass(S, RD, 1), of(BOX | 0x7f80_0001L, 0, 0, 0), false, 1L << 8));
        cases.add(Arguments.of("fclass.s qNaN", fclass(S, RD, 1), of(CANONICAL_SINGLE, 0, 0, 0), false, 1L << 9));
        cases.add(Arguments.of("fcvt.w.s", fcvtToInteger(S, 0, RNE, RD, 1), of(s(-3f), 0, 0, 0), false, -3L));
        cases.add(Arguments.of("fcvt.wu.s", fcvtToInteger(S, 1, RNE, RD, 1), of(s(3e9f), 0, 0, 0), false,
                (long) (int) 3_000_000_000L));
        cases.add(Arguments.of("fcvt.l.s", fcvtToInteger(S, 2, RNE, RD, 1), of(s(-0x1p40f), 0, 0, 0), false,
                -(1L << 40)));
        cases.add(Arguments.of("fcvt.lu.s", fcvtToInteger(S, 3, RNE, RD, 1), of(s(0x1p63f), 0, 0, 0), false,
                Long.MIN_VALUE));
        cases.add(Arguments.of("fcvt.s.w", fcvtFromInteger(S, 0, RNE, RD, 1), of(0, 0, 0, -7), true, s(-7f)));
        cases.add(Arguments.of("fcvt.s.wu", fcvtFromInteger(S, 1, RNE, RD, 1), of(0, 0, 0, -2), true,
                s(0xffff_fffeL)));
        cases.add(Arguments.of("fcvt.s.l", fcvtFromInteger(S, 2, RNE, RD, 1), of(0, 0, 0, -(1L << 40)), true,
                s(-0x1p40f)));
        cases.add(Arguments.of("fcvt.s.lu", fcvtFromInteger(S, 3, RNE, RD, 1), of(0, 0, 0, Long.MIN_VALUE), true,
                s(0x1p63f)));
        cases.add(Arguments.of("fmv.x.w", fmvToInteger(S, RD, 1), of(s(-1f), 0, 0, 0), false,
                (long) Float.floatToRawIntBits(-1f)));
        cases.add(Arguments.of("fmv.w.x", fmvFromInteger(S, RD, 1), of(0, 0, 0, 0x1234_5678_3f80_0000L), true,
                s(1f)));
        cases.add(Arguments.of("fadd.d", fadd(D, RD, 1, 2), of(d(1.5), d(2.25), 0, 0), true, d(3.75)));
        cases.add(Arguments.of("fsub.d", fsub(D, RD, 1, 2), of(d(1), d(4), 0, 0), true, d(-3)));
        cases.add(Arguments.of("fmul.d", fmul(D, RD, 1, 2), of(d(1.5), d(-2), 0, 0), true, d(-3)));
        cases.add(Arguments.of("fdiv.d", fdiv(D, RD, 1, 2), of(d(7), d(2), 0, 0), true, d(3.5)));
        cases.add(Arguments.of("fsqrt.d", fsqrt(D, RD, 1), of(d(6.25), 0, 0, 0), true, d(2.5)));
        cases.add(Arguments.of("fmadd.d", fused(0x43, D, RD, 1, 2, 3), of(d(2), d(3), d(1), 0), true, d(7)));
        cases.add(Arguments.of("fmsub.d", fused(0x47, D, RD, 1, 2, 3), of(d(2), d(3), d(1), 0), true, d(5)));
        cases.add(Arguments.of("fnmsub.d", fused(0x4b, D, RD, 1, 2, 3), of(d(2), d(3), d(1), 0), true, d(-5)));
        cases.add(Arguments.of("fnmadd.d", fused(0x4f, D, RD, 1, 2, 3), of(d(2), d(3), d(1), 0), true, d(-7)));
        cases.add(Arguments.of("fsgnjn.d", fsgnj(D, 1, RD, 1, 2), of(d(2), d(1), 0, 0), true, d(-2)));
        cases.add(Arguments.of("fsgnjx.d", fsgnj(D, 2, RD, 1, 2), of(d(-2), d(-1), 0, 0), true, d(2)));
        cases.add(Arguments.of("fmin.d", fmin(D, RD, 1, 2), of(d(3), d(-4), 0, 0), true, d(-4)));
        cases.add(Arguments.of("fmax.d NaN NaN", fmax(D, RD, 1, 2), of(CANONICAL_DOUBLE, CANONICAL_DOUBLE, 0, 0),
                true, CANONICAL_DOUBLE));
        cases.add(Arguments.of("flt.d", fcompare(D, 1, RD, 1, 2), of(d(-1), d(1), 0, 0), false, 1L));
        cases.add(Arguments.of("feq.d NaN", fcompare(D, 2, RD, 1, 2), of(CANONICAL_DOUBLE, CANONICAL_DOUBLE, 0, 0),
                false, 0L));
        cases.add(Arguments.of("fclass.d -subnormal", fclass(D, RD, 1), of(d(-Double.MIN_VALUE), 0, 0, 0), false,
                1L << 2));
        cases.add(Arguments.of("fcvt.w.d", fcvtToInteger(D, 0, RNE, RD, 1), of(d(-123), 0, 0, 0), false, -123L));
        cases.add(Arguments.of("fcvt.wu.d", fcvtToInteger(D, 1, RNE, RD, 1), of(d(0xffff_ffffL), 0, 0, 0), false,
                -1L));
        cases.add(Arguments.of("fcvt.l.d", fcvtToInteger(D, 2, RNE, RD, 1), of(d(-0x1p62), 0, 0, 0), false,
                -(1L << 62)));
        cases.add(Arguments.of("fcvt.lu.d", fcvtToInteger(D, 3, RNE, RD, 1), of(d(0x1p63), 0, 0, 0), false,
                Long.MIN_VALUE));
        cases.add(Arguments.of("fcvt.d.w", fcvtFromInteger(D, 0, RNE, RD, 1), of(0, 0, 0, 0xffff_ffff_8000_0000L),
                true, d(Integer.MIN_VALUE)));
        cases.add(Arguments.of("fcvt.d.wu", fcvtFromInteger(D, 1, RNE, RD, 1), of(0, 0, 0, -1), true,
                d(0xffff_ffffL)));
        cases.add(Arguments.of("fcvt.d.l", fcvtFromInteger(D, 2, RNE, RD, 1), of(0, 0, 0, -5), true, d(-5)));
        cases.add(Arguments.of("fcvt.d.lu", fcvtFromInteger(D, 3, RNE, RD, 1), of(0, 0, 0, -2048), true,
                d(0x1p64 - 2048)));
        cases.add(Arguments.of("fcvt.s.d", fcvtSD(RD, 1), of(d(2.5), 0, 0, 0), true, s(2.5f)));
        cases.add(Arguments.of("fcvt.d.s", fcvtDS(RD, 1), of(s(-0.75f), 0, 0, 0), true, d(-0.75)));
        cases.add(Arguments.of("fmv.x.d", fmvToInteger(D, RD, 1), of(d(-1), 0, 0, 0), false, d(-1)));
        cases.add(Arguments.of("fmv.d.x", fmvFromInteger(D, RD, 1), of(0, 0, 0, d(0.5)), true, d(0.5)));
        // NaN-boxing: a single-precision operand whose upper half is not all ones reads as the canonical NaN ...
        cases.add(Arguments.of("fadd.s unboxed", fadd(S, RD, 1, 2), of(0x3f80_0000L, s(1f), 0, 0), true,
                CANONICAL_SINGLE));
        cases.add(Arguments.of("fclass.s unboxed", fclass(S, RD, 1), of(0x7f80_0001L, 0, 0, 0), false, 1L << 9));
        cases.add(Arguments.of("fsgnj.s unboxed", fsgnj(S, 0, RD, 1, 2), of(0x3f80_0000L, s(1f), 0, 0), true,
                CANONICAL_SINGLE));
        cases.add(Arguments.of("fcvt.d.s unboxed", fcvtDS(RD, 1), of(d(1), 0, 0, 0), true, CANONICAL_DOUBLE));
        cases.add(Arguments.of("feq.s unboxed", fcompare(S, 2, RD, 1, 2), of(0x3f80_0000L, s(1f), 0, 0), false,
                0L));
        // ... but FMV.X.W moves the low 32 bits as they are.
        cases.add(Arguments.of("fmv.x.w unboxed", fmvToInteger(S, RD, 1), of(0x1234_5678_8765_4321L, 0, 0, 0),
                false, 0xffff_ffff_8765_4321L));
        List<Arguments> both = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            for (Arguments arguments : cases) {
                Object[] values = arguments.get();
                Object[] withEngine = new Object[values.length + 1];
                withEngine[0] = engine;
                System.arraycopy(values, 0, withEngine, 1, values.length);
                both.add(Arguments.of(withEngine));
            }
        }
        return both.stream();
    }

    /**
     * Runs one instruction alone (budget one: the one-by-one path) and as a block between integer instructions
     * (the hot loop's or translated code's exit to the interpreter), on rv64imafdc with FS Initial.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("instructions")
    void executes(Engine engine, String name, int instruction, long[] operands, boolean floatResult,
                  long expected) {
        TestBoard alone = board(engine, "rv64imafdc", instruction);
        inputs(alone.hart(), operands);
        assertThat(alone.hart().run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(alone.hart().pc()).isEqualTo(BASE + 4);
        long result = floatResult ? alone.hart().floatRegister(RD) : alone.hart().register(RD);
        assertThat(result).as("alone: 0x%x", result).isEqualTo(expected);

        TestBoard block = board(engine, "rv64imafdc", addi(A0, A0, 1), instruction, addi(A0, A0, 1), wfi());
        inputs(block.hart(), operands);
        assertThat(block.hart().run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(block.hart().instructionsRetired()).isEqualTo(4);
        assertThat(block.hart().register(A0)).isEqualTo(2);
        result = floatResult ? block.hart().floatRegister(RD) : block.hart().register(RD);
        assertThat(result).as("in a block: 0x%x", result).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void loadsBoxAndStoresTakeTheLowBits(Engine engine) {
        TestBoard board = board(engine, "rv64imafdc", flw(5, A1, 0), fld(6, A1, 8), fsw(7, A1, 16), fsd(6, A1, 24),
                fld(8, A1, 35), fsd(8, A1, 43), wfi());
        board.memory().write64(DATA, 0x1111_1111_4049_0fdbL);
        board.memory().write64(DATA + 8, d(-2.5));
        board.memory().write64(DATA + 32, 0x0102_0304_0506_0708L);
        board.memory().write64(DATA + 40, 0x090a_0b0c_0d0e_0f10L);
        board.hart().setRegister(A1, DATA);
        board.hart().setFloatRegister(7, 0x1234_5678_9abc_def0L); // not boxed: FSW stores the low half anyway
        board.hart().run(100);
        assertThat(board.hart().floatRegister(5)).isEqualTo(BOX | 0x4049_0fdbL);
        assertThat(board.hart().floatRegister(6)).isEqualTo(d(-2.5));
        assertThat(board.memory().read64(DATA + 16)).isEqualTo(0x9abc_def0L);
        assertThat(board.memory().read64(DATA + 24)).isEqualTo(d(-2.5));
        // Misaligned: emulated, as for integer loads and stores.
        assertThat(board.hart().floatRegister(8)).isEqualTo(0x0e0f_1001_0203_0405L);
        assertThat(board.memory().read64(DATA + 43)).isEqualTo(board.memory().read64(DATA + 35));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void loadFaultsArePreciseAndChangeNothing(Engine engine) {
        TestBoard board = board(engine, "rv64imafdc", addi(A0, A0, 1), fld(5, A1, 8), addi(A0, A0, 1), wfi());
        board.hart().setRegister(A1, 0x1000); // no memory there
        board.hart().setFloatRegister(5, d(9));
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(0x1008);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
        assertThat(hart.register(A0)).isEqualTo(1);
        assertThat(hart.floatRegister(5)).isEqualTo(d(9));
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & (3L << 13)).isEqualTo(FS_INITIAL);
        assertThat(hart.readCsr(CsrAddress.MINSTRET)).isEqualTo(2); // addi and the handler's wfi
    }

    /**
     * FMV.X.D rewrites the base register of the load after it: the second load must use the new base (and fault
     * there), not ride on the first one's TLB probe (the translator groups loads off one base register).
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aMoveToAnIntegerRegisterChangesTheBaseOfTheNextLoad(Engine engine) {
        TestBoard board = board(engine, "rv64imafdc", ld(A2, A1, 0), fmvToInteger(D, A1, 1), ld(A3, A1, 8), wfi());
        board.memory().write64(DATA, 111);
        board.memory().write64(DATA + 8, 222);
        board.hart().setRegister(A1, DATA);
        board.hart().setFloatRegister(1, 0x1000); // no memory there
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(hart.register(A2)).isEqualTo(111);
        assertThat(hart.register(A1)).isEqualTo(0x1000);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(0x1008);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 8);
    }

    /**
     * With FS switched Off, an FP load whose page the TLB already holds (the fast paths' case) still raises
     * illegal-instruction, changing nothing.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aLoadFromACachedPageIsIllegalOnceFsIsOff(Engine engine) {
        int second = fld(6, A1, 8);
        TestBoard board = board(engine, "rv64imafdc", fld(5, A1, 0), lui(T0, 6), csrrc(0, CsrAddress.MSTATUS, T0),
                second, wfi());
        board.memory().write64(DATA, d(1.5));
        board.memory().write64(DATA + 8, d(2.5));
        board.hart().setRegister(A1, DATA);
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(hart.floatRegister(5)).isEqualTo(d(1.5));
        assertThat(hart.floatRegister(6)).isZero();
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(second & 0xffff_ffffL);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 12);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void storeFaultsArePrecise(Engine engine) {
        TestBoard board = board(engine, "rv64imafdc", addi(A0, A0, 1), fsw(5, A1, 4), wfi());
        board.hart().setRegister(A1, 0x1000);
        board.hart().run(100);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(0x1004);
        assertThat(board.hart().readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void compressedLoadsAndStores(Engine engine) {
        // c.fld f9, 8(s0); c.fsd f9, 16(s0); c.fldsp f20, 24(sp); c.fsdsp f20, 32(sp)
        TestBoard board = board(engine, "rv64imafdc", compressedPair(cFld(9, S0, 8), cFsd(9, S0, 16)),
                compressedPair(cFldsp(20, 24), cFsdsp(20, 32)), wfi());
        board.memory().write64(DATA + 8, d(1.25));
        board.memory().write64(DATA + 0x124, d(-6.5));
        board.hart().setRegister(S0, DATA);
        board.hart().setRegister(SP, DATA + 0x10c);
        assertThat(board.hart().run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(board.hart().floatRegister(9)).isEqualTo(d(1.25));
        assertThat(board.memory().read64(DATA + 16)).isEqualTo(d(1.25));
        assertThat(board.hart().floatRegister(20)).isEqualTo(d(-6.5));
        assertThat(board.memory().read64(DATA + 0x12c)).isEqualTo(d(-6.5));
        assertThat(board.hart().instructionsRetired()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void compressedDoubleLoadsNeedD(Engine engine) {
        int bits = cFld(9, S0, 8);
        TestBoard board = board(engine, "rv64imafc", compressedPair(bits, 0x0001), wfi());
        board.hart().setRegister(S0, DATA);
        board.hart().run(100);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(bits);
    }

    static Stream<Arguments> roundingModes() {
        // fcvt.w.s of 2.5 and -2.5 tells all five modes apart: RNE 2/-2, RTZ 2/-2, RDN 2/-3, RUP 3/-2, RMM 3/-3.
        return Stream.of(Engine.values()).flatMap(engine -> Stream.of(
                Arguments.of(engine, RNE, 2L, -2L), Arguments.of(engine, RTZ, 2L, -2L),
                Arguments.of(engine, RDN, 2L, -3L), Arguments.of(engine, RUP, 3L, -2L),
                Arguments.of(engine, RMM, 3L, -3L)));
    }

    /** The static rm field reaches the core; so does frm, for rm = 7 (dynamic). */
    @ParameterizedTest(name = "{0} rm {1}")
    @MethodSource("roundingModes")
    void passesStaticAndDynamicRoundingModes(Engine engine, int rm, long positive, long negative) {
        TestBoard board = board(engine, "rv64imafdc", fcvtToInteger(S, 0, rm, A2, 1), fcvtToInteger(S, 0, rm, A3, 2),
                csrrwi(0, CsrAddress.FRM, rm), fcvtToInteger(S, 0, DYN, A4, 1), fcvtToInteger(S, 0, DYN, A5, 2),
                fcvtToInteger(D, 0, rm, T0, 3), wfi());
        board.hart().setFloatRegister(1, s(2.5f));
        board.hart().setFloatRegister(2, s(-2.5f));
        board.hart().setFloatRegister(3, d(-2.5));
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(new long[] {hart.register(A2), hart.register(A3), hart.register(A4), hart.register(A5),
            hart.register(T0)}).containsExactly(positive, negative, positive, negative, negative);
        assertThat(hart.readCsr(CsrAddress.FFLAGS)).isEqualTo(1); // inexact
    }

    static Stream<Arguments> illegalRoundingModes() {
        return Stream.of(Engine.values()).flatMap(engine -> Stream.of(
                Arguments.of(engine, 5, 0), Arguments.of(engine, 6, 0),
                Arguments.of(engine, DYN, 5), Arguments.of(engine, DYN, 6), Arguments.of(engine, DYN, 7)));
    }

    @ParameterizedTest(name = "{0} rm {1} frm {2}")
    @MethodSource("illegalRoundingModes")
    void reservedRoundingModesAreIllegal(Engine engine, int rm, int frm) {
        int instruction = opFp(0x00, D, rm, 5, 1, 2); // fadd.d f5, f1, f2
        TestBoard board = board(engine, "rv64imafdc", addi(A0, A0, 1), instruction, wfi());
        board.hart().writeCsr(CsrAddress.FRM, frm);
        board.hart().writeCsr(CsrAddress.MSTATUS, FS_INITIAL);
        board.hart().setFloatRegister(1, d(1));
        board.hart().setFloatRegister(2, d(2));
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(instruction & 0xffff_ffffL);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
        assertThat(hart.floatRegister(5)).isZero();
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & (3L << 13)).isEqualTo(FS_INITIAL);
    }

    /**
     * The Dirty policy without flags: writing an f register (a load, a sign injection: neither raises a flag) makes
     * FS Dirty; an exact comparison (no write, no flag) leaves it Initial. Translated code settles both at its exit.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void writesWithoutFlagsMakeTheStateDirtyAndExactComparisonsDoNot(Engine engine) {
        TestBoard reading = board(engine, "rv64imafdc", fcompare(D, 2, A2, 1, 2), fmvToInteger(D, A3, 1),
                addi(A0, A0, 1), wfi());
        reading.hart().setFloatRegister(1, d(1.5));
        reading.hart().setFloatRegister(2, d(1.5));
        reading.hart().run(100);
        assertThat(reading.hart().register(A2)).isEqualTo(1);
        assertThat(reading.hart().register(A3)).isEqualTo(d(1.5));
        assertThat(reading.hart().readCsr(CsrAddress.MSTATUS) & (3L << 13)).isEqualTo(FS_INITIAL);
        assertThat(reading.hart().readCsr(CsrAddress.FFLAGS)).isZero();

        TestBoard writing = board(engine, "rv64imafdc", fld(5, A1, 0), fsgnj(D, 1, 6, 5, 5), addi(A0, A0, 1), wfi());
        writing.memory().write64(DATA, d(-2.5));
        writing.hart().setRegister(A1, DATA);
        writing.hart().run(100);
        assertThat(writing.hart().floatRegister(6)).isEqualTo(d(2.5));
        assertThat(writing.hart().readCsr(CsrAddress.MSTATUS) & (3L << 13)).isEqualTo(3L << 13);
        assertThat(writing.hart().readCsr(CsrAddress.FFLAGS)).isZero();
    }

    /** With V=1 an FP write makes both vsstatus.FS and the HS-level mstatus.FS Dirty (translated: at the exit). */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aGuestsFloatingPointWriteMakesVsstatusAndMstatusDirty(Engine engine) {
        TestBoard board = board(engine, "rv64imafdch", fld(5, A1, 0), fadd(D, 6, 5, 5), addi(A0, A0, 1), wfi());
        board.memory().write64(DATA, d(1.25));
        Rv64Hart hart = board.hart();
        hart.setRegister(A1, DATA);
        hart.writeCsr(CsrAddress.VSSTATUS, FS_INITIAL);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.floatRegister(6)).isEqualTo(d(2.5));
        assertThat(hart.readCsr(CsrAddress.VSSTATUS) & (3L << 13)).as("vsstatus.FS").isEqualTo(3L << 13);
        assertThat(hart.readCsr(CsrAddress.MSTATUS) & (3L << 13)).as("mstatus.FS").isEqualTo(3L << 13);
        assertThat(hart.instructionsRetired()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void flagsAccrueIntoFcsr(Engine engine) {
        TestBoard board = board(engine, "rv64imafdc", fdiv(D, 5, 1, 3), csrrs(A2, CsrAddress.FFLAGS, 0),
                fdiv(S, 6, 2, 4), csrrs(A3, CsrAddress.FCSR, 0), fadd(D, 7, 1, 1), csrrs(A4, CsrAddress.FFLAGS, 0),
                wfi());
        board.hart().setFloatRegister(1, d(1));
        board.hart().setFloatRegister(3, d(3));
        board.hart().setFloatRegister(2, s(1f));
        board.hart().setFloatRegister(4, s(0f));
        board.hart().writeCsr(CsrAddress.FRM, RUP);
        board.hart().writeCsr(CsrAddress.MSTATUS, FS_INITIAL);
        board.hart().run(100);
        Rv64Hart hart = board.hart();
        assertThat(hart.register(A2)).as("1.0 / 3.0: inexact").isEqualTo(1);
        assertThat(hart.register(A3)).as("then 1.0 / 0.0: divide by zero, accrued").isEqualTo(RUP << 5 | 8 | 1);
        assertThat(hart.register(A4)).as("an exact add raises nothing, clears nothing").isEqualTo(9);
        assertThat(hart.floatRegister(6)).isEqualTo(s(Float.POSITIVE_INFINITY));
    }

    /**
     * A loop whose blocks mix integer and floating-point instructions (sum of i * 0.5 for i below 200, with loads and
     * stores of the running sum): both engines give the same registers, memory, flags and counts, and the
     * translator ran regions.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void loopMatchesAcrossEngines(Engine engine) {
        int[] program = {
            addi(A0, 0, 0), addi(A2, 0, 200), fcvtFromInteger(D, 0, RNE, 1, 0),
            fmvFromInteger(D, 2, A3), // f2 = 0.5
            // loop:
            fcvtFromInteger(D, 0, RNE, 3, A0), addi(A0, A0, 1), fused(0x43, D, 1, 3, 2, 1), fsd(1, A1, 0),
            fld(4, A1, 0), fcvtToInteger(D, 2, RTZ, A4, 4), addi(A5, A5, 3), bne(A0, A2, -28),
            fcvtSD(5, 1), fmvToInteger(S, T1, 5), wfi(),
        };
        TestBoard board = board(engine, "rv64imafdc", program);
        board.hart().setRegister(A1, DATA);
        board.hart().setRegister(A3, d(0.5));
        assertThat(board.hart().run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        Rv64Hart hart = board.hart();
        double sum = 0.5 * 199 * 200 / 2;
        assertThat(hart.floatRegister(1)).isEqualTo(d(sum));
        assertThat(board.memory().read64(DATA)).isEqualTo(d(sum));
        assertThat(hart.register(A4)).isEqualTo((long) sum);
        assertThat(hart.register(A5)).isEqualTo(600);
        assertThat(hart.register(T1)).isEqualTo(Float.floatToRawIntBits((float) sum));
        assertThat(hart.instructionsRetired()).isEqualTo(4 + 8 * 200 + 3);
        assertThat(hart.readCsr(CsrAddress.FFLAGS)).as("fcvt.l.d of x.25 sums: inexact").isEqualTo(1);
        if (engine == Engine.TRANSLATOR) {
            assertThat(board.counters().snapshot().get("translator", "regions")).isPositive();
        }
    }
}
