package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sv57 (Privileged spec, "Sv57: Page-Based 57-bit Virtual-Memory System") and the WARL choice of the largest mode:
 * five levels, 57-bit canonical addresses, 256 TiB leaves at the root.
 */
final class Sv57Test {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long ROOT = BASE + 0x10000;
    private static final long LEVEL3 = BASE + 0x11000;
    private static final long LEVEL2 = BASE + 0x12000;
    private static final long LEVEL1 = BASE + 0x13000;
    private static final long LEVEL0 = BASE + 0x14000;
    private static final long DATA = BASE + 0x20000;
    /** Canonical only in Sv57: bits 63:56 all set; each level's index is distinct. */
    private static final long VIRTUAL = 0xff5a_0000_0000_0000L | 0x7bL << 39 | 0x3cL << 30 | 0x15L << 21 | 0x9L << 12;

    private static TestBoard board(AddressTranslation translation) {
        TestBoard board = new TestBoard("rv64imac", 1 << 20, translation);
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, BASE + 0x400);
        board.load(BASE + 0x400, jal(0, 0));
        // M-mode code, S-mode data: MPRV=1, MPP=S.
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
        return board;
    }

    private static void mapFiveLevels(TestBoard board) {
        board.memory().write64(ROOT + 0x15a * 8, Pte.entry(LEVEL3, V));
        board.memory().write64(LEVEL3 + 0x7b * 8, Pte.entry(LEVEL2, V));
        board.memory().write64(LEVEL2 + 0x3c * 8, Pte.entry(LEVEL1, V));
        board.memory().write64(LEVEL1 + 0x15 * 8, Pte.entry(LEVEL0, V));
        board.memory().write64(LEVEL0 + 0x9 * 8, Pte.entry(DATA, R | W | V));
        board.memory().write64(DATA, 0x0123_4567_89ab_cdefL);
    }

    @Test
    void loadsWalkFiveLevels() {
        TestBoard board = board(AddressTranslation.SV57);
        mapFiveLevels(board);
        board.hart().writeCsr(CsrAddress.SATP, 10L << 60 | ROOT >>> 12);
        board.load(BASE, ld(A0, A1, 8 * 0));
        board.hart().setRegister(A1, VIRTUAL);
        board.hart().run(1);
        assertThat(board.hart().register(A0)).isEqualTo(0x0123_4567_89ab_cdefL);
        assertThat(board.counters().snapshot().get("mmu", "walk")).isEqualTo(5);
    }

    @Test
    void addressesThatAreNotSignExtendedFromBit56Fault() {
        TestBoard board = board(AddressTranslation.SV57);
        mapFiveLevels(board);
        board.hart().writeCsr(CsrAddress.SATP, 10L << 60 | ROOT >>> 12);
        board.load(BASE, ld(A0, A1, 0));
        board.hart().setRegister(A1, VIRTUAL & ~(1L << 60));
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(board.hart().readCsr(CsrAddress.MTVAL)).isEqualTo(VIRTUAL & ~(1L << 60));
    }

    @Test
    void aRootLeafMapsA256TebibytePageAndMustBeAlignedToIt() {
        TestBoard board = board(AddressTranslation.SV57);
        board.memory().write64(ROOT, Pte.entry(0, R | W | V)); // VA [0, 2^48) -> PA [0, 2^48)
        board.memory().write64(DATA, 42);
        board.hart().writeCsr(CsrAddress.SATP, 10L << 60 | ROOT >>> 12);
        board.load(BASE, ld(A0, A1, 0));
        board.hart().setRegister(A1, DATA);
        board.hart().run(1);
        assertThat(board.hart().register(A0)).isEqualTo(42);

        board.memory().write64(ROOT, Pte.entry(1L << 47, R | W | V)); // misaligned superpage
        board.hart().writeCsr(CsrAddress.SATP, 0);
        board.hart().writeCsr(CsrAddress.SATP, 10L << 60 | ROOT >>> 12);
        board.hart().setPc(BASE);
        board.hart().run(1);
        assertThat(board.hart().readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
    }

    @ParameterizedTest
    @EnumSource(AddressTranslation.class)
    void satpAcceptsBareAndEachModeUpToTheLargest(AddressTranslation largest) {
        Rv64Hart hart = board(largest).hart();
        for (long mode = 1; mode < 16; mode++) {
            hart.writeCsr(CsrAddress.SATP, 0);
            hart.writeCsr(CsrAddress.SATP, mode << 60 | 5);
            boolean offered = mode >= 8 && mode <= largest.satpMode();
            assertThat(hart.readCsr(CsrAddress.SATP)).as("mode %d", mode).isEqualTo(offered ? mode << 60 | 5 : 0);
        }
    }
}
