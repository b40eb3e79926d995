package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static io.vmmlab.cpu.csr.CsrAddress.*;
import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.cpu.testing.FloatAssembler.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The F extension's CSRs and context status: misa, mstatus/sstatus/vsstatus.FS and SD, fflags/frm/fcsr, FS = Off
 * making instructions and CSRs illegal (precisely, on both engines), the Dirty policy, and an ISA without F and D
 * behaving as before.
 */
final class FloatCsrTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x800;
    private static final long DATA = BASE + 0x2000;
    private static final long OFF = 0;
    private static final long INITIAL = 1L << 13;
    private static final long CLEAN = 2L << 13;
    private static final long DIRTY = 3L << 13;
    private static final int FADD_D = fadd(D, 5, 1, 2);

    private static TestBoard board(String isa, TranslatorConfig translator, int... program) {
        TestBoard board = new TestBoard(isa, 1 << 20, translator);
        board.load(BASE, program);
        board.load(HANDLER, wfi());
        board.hart().writeCsr(MTVEC, HANDLER);
        return board;
    }

    private static TestBoard board(String isa, int... program) {
        return board(isa, null, program);
    }

    private static long misa(String isa) {
        return new TestBoard(isa, 1 << 16).hart().readCsr(MISA);
    }

    @Test
    void misaReportsFAndD() {
        long f = 1L << 5;
        long d = 1L << 3;
        assertThat(misa("rv64imafdc") & (f | d)).isEqualTo(f | d);
        assertThat(misa("rv64imafc") & (f | d)).isEqualTo(f);
        assertThat(misa("rv64imac") & (f | d)).isZero();
        assertThat(misa("rv64gc")).isEqualTo(misa("rv64imafdc"));
        assertThatThrownBy(() -> new TestBoard("rv64imadc", 1 << 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs F");
    }

    /** Without F nothing changes: FS is read-only zero, the opcodes and CSRs are illegal, misa has no F or D. */
    @ParameterizedTest
    @ValueSource(strings = {"rv64imac", "rv64imach"})
    void withoutFTheFloatingPointStateDoesNotExist(String isa) {
        TestBoard board = board(isa, FADD_D);
        Rv64Hart hart = board.hart();
        hart.writeCsr(MSTATUS, DIRTY);
        assertThat(hart.readCsr(MSTATUS) & (DIRTY | STATUS_SD)).isZero();
        hart.writeCsr(SSTATUS, DIRTY);
        assertThat(hart.readCsr(SSTATUS) & (DIRTY | STATUS_SD)).isZero();
        assertThatThrownBy(() -> hart.readCsr(FCSR)).isInstanceOf(IllegalArgumentException.class);
        hart.run(100);
        assertThat(hart.readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(hart.readCsr(MTVAL)).isEqualTo(FADD_D & 0xffff_ffffL);

        int csrRead = csrrs(A0, FCSR, 0);
        TestBoard csr = board(isa, csrRead);
        csr.hart().run(100);
        assertThat(csr.hart().readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(csr.hart().readCsr(MTVAL)).isEqualTo(csrRead & 0xffff_ffffL);
    }

    @Test
    void fsResetsToOffAndTakesAllFourValues() {
        Rv64Hart hart = board("rv64imafdc").hart();
        assertThat(hart.readCsr(MSTATUS) & DIRTY).isEqualTo(OFF);
        for (long value : new long[] {INITIAL, CLEAN, DIRTY, OFF}) {
            hart.writeCsr(MSTATUS, value);
            long dirty = value == DIRTY ? STATUS_SD : 0;
            assertThat(hart.readCsr(MSTATUS) & (DIRTY | STATUS_SD)).isEqualTo(value | dirty);
            assertThat(hart.readCsr(SSTATUS) & (DIRTY | STATUS_SD)).isEqualTo(value | dirty);
            hart.writeCsr(SSTATUS, DIRTY ^ value);
            assertThat(hart.readCsr(MSTATUS) & DIRTY).isEqualTo(DIRTY ^ value);
        }
    }

    /** FS = Off: the instruction and the CSRs are illegal, with precise pc, trap value and instret, on both engines. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fsOffMakesInstructionsAndCsrsIllegal(boolean translated) {
        TranslatorConfig translator = translated ? new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART) : null;
        TestBoard board = board("rv64imafdc", translator, addi(A0, A0, 1), addi(A0, A0, 1), FADD_D, wfi());
        Rv64Hart hart = board.hart();
        hart.run(100);
        assertThat(hart.readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(hart.readCsr(MTVAL)).isEqualTo(FADD_D & 0xffff_ffffL);
        assertThat(hart.readCsr(MEPC)).isEqualTo(BASE + 8);
        assertThat(hart.readCsr(MINSTRET)).isEqualTo(3); // two addi and the handler's wfi
        assertThat(hart.register(A0)).isEqualTo(2);

        for (int csr : new int[] {FFLAGS, FRM, FCSR}) {
            int bits = csrrw(A1, csr, A0);
            TestBoard access = board("rv64imafdc", translator, bits);
            access.hart().run(100);
            assertThat(access.hart().readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
            assertThat(access.hart().readCsr(MTVAL)).isEqualTo(bits & 0xffff_ffffL);
        }

        int compressed = cFld(9, S0, 8);
        TestBoard load = board("rv64imafdc", translator, compressedPair(compressed, 0x0001));
        load.hart().run(100);
        assertThat(load.hart().readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(load.hart().readCsr(MTVAL)).as("16 bits for a compressed one").isEqualTo(compressed);
    }

    static Stream<Arguments> dirtyPolicy() {
        return Stream.of(
            Arguments.of("fsd", fsd(1, A1, 0), false),
            Arguments.of("fsw", fsw(1, A1, 0), false),
            Arguments.of("fmv.x.d", fmvToInteger(D, A2, 1), false),
            Arguments.of("fclass.d", fclass(D, A2, 1), false),
            Arguments.of("feq.d", fcompare(D, 2, A2, 1, 2), false),
            Arguments.of("fcvt.l.d exact", fcvtToInteger(D, 2, RNE, A2, 1), false),
            Arguments.of("csrr fcsr", csrrs(A2, FCSR, 0), false),
            Arguments.of("fadd.d", FADD_D, true),
            Arguments.of("fld", fld(5, A1, 0), true),
            Arguments.of("fmv.d.x", fmvFromInteger(D, 5, A1), true),
            Arguments.of("fsgnj.d", fsgnj(D, 0, 1, 1, 1), true),
            Arguments.of("flt.d NaN (invalid)", fcompare(D, 1, A2, 1, 3), true),
            Arguments.of("csrw frm", csrrw(0, FRM, 0), true),
            Arguments.of("csrwi fflags", csrrwi(A2, FFLAGS, 0), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirtyPolicy")
    void stateChangesMarkFsDirty(String name, int instruction, boolean dirties) {
        TestBoard board = board("rv64imafdc", instruction, wfi());
        Rv64Hart hart = board.hart();
        hart.setRegister(A1, DATA);
        hart.setFloatRegister(1, Double.doubleToRawLongBits(2));
        hart.setFloatRegister(2, Double.doubleToRawLongBits(3));
        hart.setFloatRegister(3, 0x7ff8_0000_0000_0000L);
        hart.writeCsr(MSTATUS, CLEAN);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.readCsr(MSTATUS) & (DIRTY | STATUS_SD)).isEqualTo(dirties ? DIRTY | STATUS_SD : CLEAN);
        assertThat(hart.readCsr(SSTATUS) & (DIRTY | STATUS_SD)).isEqualTo(dirties ? DIRTY | STATUS_SD : CLEAN);
    }

    @Test
    void fcsrIsFrmAndFflags() {
        TestBoard board = board("rv64imafdc", addi(A0, 0, -1), csrrw(0, FCSR, A0), csrrs(A1, FCSR, 0),
                csrrs(A2, FRM, 0), csrrs(A3, FFLAGS, 0), csrrwi(0, FRM, 2), csrrs(A4, FCSR, 0),
                csrrwi(0, FFLAGS, 0), csrrsi(0, FFLAGS, 5), csrrs(A5, FCSR, 0), wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(MSTATUS, INITIAL);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(new long[] {hart.register(A1), hart.register(A2), hart.register(A3), hart.register(A4),
            hart.register(A5)}).containsExactly(0xffL, 7L, 0x1fL, 0x5fL, 0x45L);
        assertThat(hart.readCsr(FRM)).isEqualTo(2);
    }

    /**
     * With V=1 both mstatus.FS (the HS-level sstatus.FS) and vsstatus.FS gate floating point; either Off is an
     * illegal instruction, never a virtual instruction; a change sets both Dirty, and vsstatus.SD follows
     * vsstatus.FS alone.
     */
    @ParameterizedTest(name = "mstatus.FS {0}, vsstatus.FS {1}")
    @CsvSource({"0, 1, false", "1, 0, false", "1, 1, true", "2, 3, true"})
    void virtualModeNeedsBothFsFields(long hostStatus, long guestStatus, boolean runs) {
        for (boolean translated : new boolean[] {false, true}) {
            TestBoard board = board("rv64imafdch", translated
                    ? new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART) : null, FADD_D, wfi());
            Rv64Hart hart = board.hart();
            hart.writeCsr(MSTATUS, hostStatus << 13);
            hart.writeCsr(VSSTATUS, guestStatus << 13);
            hart.setFloatRegister(1, Double.doubleToRawLongBits(1));
            hart.setFloatRegister(2, Double.doubleToRawLongBits(2));
            hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
            hart.run(100);
            if (runs) {
                assertThat(hart.floatRegister(5)).isEqualTo(Double.doubleToRawLongBits(3));
                assertThat(hart.readCsr(MSTATUS) & DIRTY).isEqualTo(DIRTY);
                assertThat(hart.readCsr(VSSTATUS) & (DIRTY | STATUS_SD)).isEqualTo(DIRTY | STATUS_SD);
                assertThat(hart.virtualMode()).isTrue();
            } else {
                assertThat(hart.readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
                assertThat(hart.readCsr(MTVAL)).isEqualTo(FADD_D & 0xffff_ffffL);
                assertThat(hart.readCsr(MEPC)).isEqualTo(BASE);
                assertThat(hart.floatRegister(5)).isZero();
                assertThat(hart.readCsr(MSTATUS) & DIRTY).isEqualTo(hostStatus << 13);
                assertThat(hart.readCsr(VSSTATUS) & DIRTY).isEqualTo(guestStatus << 13);
            }
        }
    }

    @Test
    void virtualModeCsrAccessNeedsBothFsFields() {
        int bits = csrrs(A0, FCSR, 0);
        TestBoard board = board("rv64imafdch", bits, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(MSTATUS, DIRTY);
        hart.writeCsr(VSSTATUS, OFF);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        hart.run(100);
        assertThat(hart.readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(hart.readCsr(MTVAL)).isEqualTo(bits & 0xffff_ffffL);
        // The HS-level FS does not reach vsstatus.SD.
        assertThat(hart.readCsr(VSSTATUS) & STATUS_SD).isZero();
    }
}
