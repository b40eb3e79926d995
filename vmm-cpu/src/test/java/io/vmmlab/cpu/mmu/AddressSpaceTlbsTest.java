package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.api.memory.Pte.G;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S-mode TLB is kept per address space (satp with a non-zero ASID): switching back to one finds its entries,
 * another space never sees them, ASID 0 keeps nothing, SFENCE.VMA empties every space (with an ASID, only that
 * ASID's), and the least recently used space makes room for a sixth.
 */
final class AddressSpaceTlbsTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long VIRTUAL = 0x4000_0000L;
    /** Six roots, each mapping VIRTUAL to a data page of its own that holds the root's number. */
    private static final int ROOTS = 6;

    private TestBoard board;
    private Rv64Hart hart;

    @BeforeEach
    void buildTables() {
        board = new TestBoard();
        hart = board.hart();
        for (int i = 0; i < ROOTS; i++) {
            long root = BASE + 0x10000 + i * 0x3000L;
            long level1 = root + 0x1000;
            long level0 = root + 0x2000;
            long data = BASE + 0x40000 + i * 0x1000L;
            board.memory().write64(root + 8, (level1 >>> 12) << 10 | V);
            board.memory().write64(level1, (level0 >>> 12) << 10 | V);
            board.memory().write64(level0, (data >>> 12) << 10 | R | W | V | 0xc0); // A and D set: no updates
            board.memory().write64(data, 100 + i);
        }
        hart.writeCsr(CsrAddress.MTVEC, BASE + 0x400);
        board.load(BASE + 0x400, jal(0, 0));
        board.load(BASE, ld(A0, A1, 0));
        board.load(BASE + 0x100, sfenceVma(0, 0));
        board.load(BASE + 0x200, sfenceVma(0, A2));
        board.load(BASE + 0x300, sfenceVma(A3, A2));
        // M-mode code, S-mode data: MPRV=1, MPP=S.
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
    }

    private static long satp(int root, int asid) {
        return 8L << 60 | (long) asid << 44 | (BASE + 0x10000 + root * 0x3000L) >>> 12;
    }

    /** Loads VIRTUAL under a satp value; returns the walks it took. */
    private long loadUnder(long satp, int expectedRoot) {
        return loadUnder(satp, expectedRoot, VIRTUAL);
    }

    private long loadUnder(long satp, int expectedRoot, long va) {
        hart.writeCsr(CsrAddress.SATP, satp);
        long before = walks();
        hart.setPc(BASE);
        hart.setRegister(A1, va);
        hart.run(1);
        assertThat(hart.register(A0)).as("the value under satp 0x%x", satp).isEqualTo(100 + expectedRoot);
        return walks() - before;
    }

    private long walks() {
        return board.counters().snapshot().get("mmu", "walk");
    }

    @Test
    void aRecentAddressSpaceKeepsItsEntriesAndNoOtherSeesThem() {
        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
        assertThat(loadUnder(satp(1, 2), 1)).as("another space walks its own tables").isPositive();
        assertThat(loadUnder(satp(0, 1), 0)).as("back to the first: its entry is still there").isZero();
        assertThat(loadUnder(satp(1, 2), 1)).isZero();
    }

    @Test
    void asidZeroKeepsNothing() {
        assertThat(loadUnder(satp(0, 0), 0)).isPositive();
        assertThat(loadUnder(satp(1, 0), 1)).isPositive();
        assertThat(loadUnder(satp(0, 0), 0)).as("ASID 0 is no tag").isPositive();
        assertThat(loadUnder(satp(0, 0), 0)).as("rewriting the same value empties the TLB too").isPositive();
    }

    @Test
    void theRootIsPartOfTheKey() {
        assertThat(loadUnder(satp(0, 7), 0)).isPositive();
        assertThat(loadUnder(satp(1, 7), 1)).as("the same ASID over another root").isPositive();
    }

    @Test
    void sfenceVmaEmptiesEverySpace() {
        loadUnder(satp(0, 1), 0);
        loadUnder(satp(1, 2), 1);
        hart.setPc(BASE + 0x100);
        hart.run(1);

        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
        assertThat(loadUnder(satp(1, 2), 1)).isPositive();
    }

    @Test
    void anAsidFenceEmptiesOnlyThatAsidsSpaces() {
        loadUnder(satp(0, 1), 0);
        loadUnder(satp(1, 2), 1);
        loadUnder(satp(2, 1), 2); // ASID 1 again, over another root
        fence(0, 1);

        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
        assertThat(loadUnder(satp(2, 1), 2)).isPositive();
        assertThat(loadUnder(satp(1, 2), 1)).as("another ASID").isZero();
    }

    @Test
    void anAddressFenceWithAnAsidDropsThatPageOnlyInThatAsidsSpaces() {
        long level0 = BASE + 0x10000 + 0x3000 + 0x2000; // root 1's: a second page with the same data
        board.memory().write64(level0 + 8, board.memory().read64(level0));
        loadUnder(satp(0, 1), 0);
        loadUnder(satp(1, 2), 1);
        loadUnder(satp(1, 2), 1, VIRTUAL + 0x1000);
        fence(VIRTUAL, 2);

        assertThat(loadUnder(satp(1, 2), 1)).isPositive();
        assertThat(loadUnder(satp(1, 2), 1, VIRTUAL + 0x1000)).as("another page").isZero();
        assertThat(loadUnder(satp(0, 1), 0)).as("another ASID").isZero();
    }

    /** Such a fence orders no global mapping: G in the leaf, or in a PTE above it, keeps the entry. */
    @Test
    void anAsidFenceKeepsGlobalEntries() {
        long leaf0 = BASE + 0x10000 + 0x2000;
        board.memory().write64(leaf0, board.memory().read64(leaf0) | G);
        long level1Of2 = BASE + 0x10000 + 2 * 0x3000L + 0x1000;
        board.memory().write64(level1Of2, board.memory().read64(level1Of2) | G);
        loadUnder(satp(0, 1), 0);
        loadUnder(satp(1, 1), 1);
        loadUnder(satp(2, 1), 2);
        fence(0, 1);

        assertThat(loadUnder(satp(0, 1), 0)).as("global leaf").isZero();
        assertThat(loadUnder(satp(2, 1), 2)).as("global table above the leaf").isZero();
        assertThat(loadUnder(satp(1, 1), 1)).as("not global").isPositive();

        hart.setPc(BASE + 0x100); // SFENCE.VMA x0, x0 orders global mappings too
        hart.run(1);
        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
    }

    /** The ASID operand's bits above the 16 an ASID has are ignored. */
    @Test
    void anAsidFenceIgnoresTheOperandsHighBits() {
        loadUnder(satp(0, 1), 0);
        fence(0, 1L << 16 | 1);

        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
    }

    /** Runs SFENCE.VMA with rs1 holding the address (x0 when 0) and rs2 the ASID. */
    private void fence(long address, long asid) {
        hart.setRegister(A2, asid);
        hart.setRegister(A3, address);
        hart.setPc(address == 0 ? BASE + 0x200 : BASE + 0x300);
        hart.run(1);
    }

    /** In U-mode (through MPRV with MPP=U, on pages with U set) as in S-mode: each has its TLB per space. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSixthSpaceTakesTheLeastRecentlyUsedOne(boolean user) {
        if (user) {
            for (int i = 0; i < ROOTS; i++) {
                long leaf = BASE + 0x10000 + i * 0x3000L + 0x2000;
                board.memory().write64(leaf, board.memory().read64(leaf) | U);
            }
            hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV); // MPP = U
        }
        for (int i = 0; i < AddressSpaceTlbs.SPACES; i++) {
            loadUnder(satp(i, i + 1), i);
        }
        loadUnder(satp(0, 1), 0); // ASID 1 is now the most recently used space, ASID 2 the least

        assertThat(loadUnder(satp(5, 6), 5)).isPositive();
        assertThat(loadUnder(satp(0, 1), 0)).as("kept").isZero();
        assertThat(loadUnder(satp(5, 6), 5)).as("kept").isZero();
        assertThat(loadUnder(satp(1, 2), 1)).as("evicted").isPositive();
    }

    /** Not only the current space's TLBs: those of a space left before the reset too. */
    @Test
    void aResetEmptiesEverySpace() {
        loadUnder(satp(0, 1), 0);
        loadUnder(satp(1, 2), 1);
        hart.reset(BASE);
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);

        assertThat(loadUnder(satp(0, 1), 0)).isPositive();
    }
}
