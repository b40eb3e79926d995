package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SFENCE.VMA with an address drops that page's cached translations only, and, when the page lies in a superpage that
 * entries were made from, all of that superpage's (the fence covers the whole leaf; the TLB's 4 KiB entries are
 * pieces of it).
 */
final class SfenceVmaTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long ROOT = BASE + 0x10000;
    private static final long LEVEL1 = BASE + 0x11000;
    private static final long LEVEL0 = BASE + 0x12000;
    private static final long PAGE0 = 0x4000_0000L;
    private static final long PAGE1 = 0x4000_1000L;
    private static final long SUPERPAGE = 0x4020_0000L;
    private static final long LEAF = 0xc0 | R | W | V; // A and D set: no updates

    private TestBoard board;
    private Rv64Hart hart;

    @BeforeEach
    void buildTables() {
        board = new TestBoard("rv64imac", 8 << 20);
        hart = board.hart();
        board.memory().write64(ROOT + 8, (LEVEL1 >>> 12) << 10 | V);
        board.memory().write64(LEVEL1, (LEVEL0 >>> 12) << 10 | V);
        map(LEVEL0, BASE + 0x20000);
        map(LEVEL0 + 8, BASE + 0x21000);
        map(LEVEL1 + 8, BASE + 0x20_0000); // 2 MiB at SUPERPAGE
        for (long page = 0; page < 0x40_0000; page += 0x1000) {
            board.memory().write64(BASE + 0x20_0000 + page, 0x1000_0000 + page); // both 2 MiB regions
        }
        board.memory().write64(BASE + 0x20000, 10);
        board.memory().write64(BASE + 0x21000, 11);
        board.memory().write64(BASE + 0x22000, 12);
        hart.writeCsr(CsrAddress.MTVEC, BASE + 0x400);
        board.load(BASE + 0x400, jal(0, 0));
        board.load(BASE, ld(A0, A1, 0));
        board.load(BASE + 0x100, sfenceVma(A2, 0));
        hart.writeCsr(CsrAddress.SATP, 8L << 60 | ROOT >>> 12);
        // M-mode code, S-mode data: MPRV=1, MPP=S.
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
    }

    private void map(long pteAddress, long physical) {
        board.memory().write64(pteAddress, (physical >>> 12) << 10 | LEAF);
    }

    /** Loads a virtual address; asserts the value and returns the page-table levels read for it. */
    private long load(long va, long expected) {
        long before = walks();
        hart.setPc(BASE);
        hart.setRegister(A1, va);
        hart.run(1);
        assertThat(hart.register(A0)).as("the value at 0x%x", va).isEqualTo(expected);
        return walks() - before;
    }

    private void fence(long va) {
        hart.setPc(BASE + 0x100);
        hart.setRegister(A2, va);
        hart.run(1);
    }

    private long walks() {
        return board.counters().snapshot().get("mmu", "walk");
    }

    @Test
    void anAddressFenceDropsThatPageOnly() {
        load(PAGE0, 10);
        load(PAGE1, 11);
        map(LEVEL0, BASE + 0x22000);
        long flushes = board.counters().snapshot().get("tlb", "flush");

        fence(PAGE0 + 0x123);

        assertThat(load(PAGE0, 12)).as("the fenced page walks again").isPositive();
        assertThat(load(PAGE1, 11)).as("its neighbour kept its entry").isZero();
        assertThat(board.counters().snapshot().get("tlb", "flush")).isEqualTo(flushes + 1);
    }

    @Test
    void anAddressFenceInASuperpageDropsItsOtherPagesToo() {
        load(SUPERPAGE, 0x1000_0000);
        load(SUPERPAGE + 0x1000, 0x1000_1000);
        load(PAGE1, 11);
        map(LEVEL1 + 8, BASE + 0x40_0000); // the other 2 MiB

        fence(SUPERPAGE);

        assertThat(load(SUPERPAGE + 0x1000, 0x1020_1000)).as("a sibling 4 KiB entry of the leaf").isPositive();
        assertThat(load(PAGE1, 11)).as("a page outside the superpage").isZero();
    }

    /** Past the fill log (more entries than a flush clears one by one), every entry is looked at. */
    @Test
    void aSuperpageFenceReachesEntriesPastTheFillLog() {
        for (int page = 0; page < 200; page++) {
            load(SUPERPAGE + page * 0x1000L, 0x1000_0000 + page * 0x1000L);
        }
        load(PAGE1, 11);
        map(LEVEL1 + 8, BASE + 0x40_0000);

        fence(SUPERPAGE + 0x5000);

        assertThat(load(SUPERPAGE + 199 * 0x1000L, 0x1020_0000 + 199 * 0x1000L)).isPositive();
        assertThat(load(SUPERPAGE, 0x1020_0000)).isPositive();
        assertThat(load(PAGE1, 11)).isZero();
    }

    @Test
    void aFenceOutsideTheSuperpagesKeepsTheirEntries() {
        load(SUPERPAGE, 0x1000_0000);
        load(SUPERPAGE + 0x1000, 0x1000_1000);
        load(PAGE0, 10);
        map(LEVEL0, BASE + 0x22000);

        fence(PAGE0);

        assertThat(load(PAGE0, 12)).isPositive();
        assertThat(load(SUPERPAGE + 0x1000, 0x1000_1000)).isZero();
    }

    /** A TLB notes four superpages apart; with entries from a fifth, a page fence empties it. */
    @Test
    void moreSuperpagesThanNotedMakeAPageFenceEmptyTheTlb() {
        for (int k = 1; k <= Tlb.SUPERPAGES + 1; k++) {
            map(LEVEL1 + 8L * k, BASE + 0x20_0000);
            load(0x4000_0000L + k * 0x20_0000L, 0x1000_0000);
        }
        load(PAGE1, 11);

        fence(PAGE0);

        assertThat(load(PAGE1, 11)).isPositive();
    }

    /** Fetch entries count too: S-mode code in a superpage, fenced at another of its pages, is fetched afresh. */
    @Test
    void aFetchFromASuperpageMarksItsTlb() {
        board.memory().write64(LEVEL1 + 8, board.memory().read64(LEVEL1 + 8) | X);
        board.load(BASE + 0x20_1000, addi(A0, 0, 1), jal(0, 0));
        board.load(BASE + 0x40_1000, addi(A0, 0, 2), jal(0, 0));
        hart.writeCsr(CsrAddress.MSTATUS, 0);
        runSupervisorAt(SUPERPAGE + 0x1000);
        assertThat(hart.register(A0)).isEqualTo(1);
        board.memory().write64(LEVEL1 + 8, ((BASE + 0x40_0000) >>> 12) << 10 | LEAF | X);

        hart.setPrivilege(PrivilegeMode.MACHINE, false);
        fence(SUPERPAGE);
        runSupervisorAt(SUPERPAGE + 0x1000);

        assertThat(hart.register(A0)).as("the code of the new mapping").isEqualTo(2);
    }

    private void runSupervisorAt(long pc) {
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);
        hart.setPc(pc);
        hart.run(1);
    }

    @Test
    void afterAWholeFlushASmallPageFenceIsSmallAgain() {
        load(SUPERPAGE, 0x1000_0000);
        fence(SUPERPAGE); // empties the TLB, and it holds no superpage entry any more
        load(PAGE0, 10);
        load(PAGE1, 11);

        fence(PAGE0);

        assertThat(load(PAGE1, 11)).isZero();
    }
}
