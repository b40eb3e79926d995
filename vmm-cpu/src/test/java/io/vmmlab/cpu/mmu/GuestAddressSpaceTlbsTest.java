package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.HypervisorBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.G;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static io.vmmlab.cpu.csr.CsrAddress.HGATP;
import static io.vmmlab.cpu.csr.CsrAddress.MSTATUS;
import static io.vmmlab.cpu.csr.CsrAddress.SATP;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPP_SHIFT;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPRV;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPV;
import static io.vmmlab.cpu.csr.CsrAddress.VSATP;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.HypervisorBoard.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest's (V=1) TLBs are kept per vsatp value with a non-zero ASID, as the host's are per satp value: a guest
 * switching back to a recent address space finds its entries, the host's spaces and the guest's never take each
 * other's current TLBs, an hgatp write or an ASID-0 vsatp keeps nothing, and the guest's ASID fences reach only its
 * own spaces.
 */
final class GuestAddressSpaceTlbsTest {
    private static final long VIRTUAL = 0x4000_0000L;
    private static final int ROOTS = AddressSpaceTlbs.SPACES + 1;
    private static final long GSTAGE_ROOT = BASE + 0x10_0000;

    private HypervisorBoard board;
    private Rv64Hart hart;

    /** Roots that each map VIRTUAL to a data page of their own holding the root's number; the G-stage is identity. */
    @BeforeEach
    void buildTables() {
        board = new HypervisorBoard();
        hart = board.hart();
        GuestMemory memory = board.board().memory();
        memory.write64(GSTAGE_ROOT + 2 * 8, Pte.entry(BASE, U | X | W | R | V | A | D)); // 1 GiB, identity
        for (int i = 0; i < ROOTS; i++) {
            long root = root(i);
            memory.write64(root + 8, Pte.entry(root + 0x1000, V));
            memory.write64(root + 0x1000, Pte.entry(root + 0x2000, V));
            long data = BASE + 0x18_0000 + i * 0x1000L;
            memory.write64(root + 0x2000, Pte.entry(data, R | W | V | A | D));
            memory.write64(data, 100 + i);
            memory.write64(root + 2 * 8, Pte.entry(BASE, X | R | V | A)); // 1 GiB, identity: the guest's code
        }
        board.setCsr(HGATP, 8L << 60 | GSTAGE_ROOT >>> 12);
        board.board().load(BASE, ld(A0, A1, 0));
        board.board().load(BASE + 0x200, sfenceVma(0, A2));
    }

    private static long root(int i) {
        return BASE + 0x13_0000 + i * 0x3000L;
    }

    private static long atp(int root, int asid) {
        return 8L << 60 | (long) asid << 44 | root(root) >>> 12;
    }

    /** Loads VIRTUAL as VS-mode (virtual) or S-mode data under an atp value; returns the walks it took. */
    private long loadUnder(boolean virtual, long atp, int expectedRoot) {
        board.setCsr(virtual ? VSATP : SATP, atp);
        board.setCsr(MSTATUS, STATUS_MPRV | (virtual ? STATUS_MPV : 0) | 1L << STATUS_MPP_SHIFT);
        long before = walks();
        hart.setPc(BASE);
        hart.setRegister(A1, VIRTUAL);
        hart.run(1);
        assertThat(hart.register(A0)).as("the value under 0x%x", atp).isEqualTo(100 + expectedRoot);
        return walks() - before;
    }

    private long walks() {
        return board.board().counters().snapshot().get("mmu", "walk");
    }

    @Test
    void aRecentGuestAddressSpaceKeepsItsEntries() {
        assertThat(loadUnder(true, atp(0, 1), 0)).isPositive();
        assertThat(loadUnder(true, atp(1, 2), 1)).as("another space walks its own tables").isPositive();
        assertThat(loadUnder(true, atp(0, 1), 0)).as("back to the first: its entry is still there").isZero();
        assertThat(loadUnder(true, atp(1, 2), 1)).isZero();
    }

    @Test
    void asidZeroKeepsNothing() {
        assertThat(loadUnder(true, atp(0, 0), 0)).isPositive();
        assertThat(loadUnder(true, atp(1, 0), 1)).isPositive();
        assertThat(loadUnder(true, atp(0, 0), 0)).as("ASID 0 is no tag").isPositive();
    }

    @Test
    void anHgatpWriteEmptiesTheGuestSpaces() {
        loadUnder(true, atp(0, 1), 0);
        loadUnder(true, atp(1, 2), 1);
        board.setCsr(HGATP, 8L << 60 | GSTAGE_ROOT >>> 12);

        assertThat(loadUnder(true, atp(0, 1), 0)).isPositive();
        assertThat(loadUnder(true, atp(1, 2), 1)).isPositive();
    }

    /** The same value in satp and vsatp names two address spaces: the host's and the guest's. */
    @Test
    void hostAndGuestSpacesAreApart() {
        assertThat(loadUnder(false, atp(0, 1), 0)).isPositive();
        assertThat(loadUnder(true, atp(0, 1), 0)).as("the guest's walk is its own").isPositive();
        assertThat(loadUnder(false, atp(0, 1), 0)).isZero();
        assertThat(loadUnder(true, atp(0, 1), 0)).isZero();
    }

    /** A guest's SFENCE.VMA with an ASID reaches the guest's spaces of that ASID, not the host's. */
    @Test
    void aGuestAsidFenceReachesOnlyTheGuestsSpacesOfThatAsid() {
        loadUnder(false, atp(0, 1), 0);
        loadUnder(true, atp(0, 1), 0);
        loadUnder(true, atp(1, 2), 1);
        hart.setRegister(A2, 1);
        hart.setPc(BASE + 0x200);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        hart.run(1);
        assertThat(hart.pc()).as("the fence ran in VS-mode").isEqualTo(BASE + 0x204);
        hart.setPrivilege(PrivilegeMode.MACHINE, false);

        assertThat(loadUnder(true, atp(0, 1), 0)).isPositive();
        assertThat(loadUnder(true, atp(1, 2), 1)).as("another ASID").isZero();
        assertThat(loadUnder(false, atp(0, 1), 0)).as("the host's space of the same ASID").isZero();
    }

    /** A guest's global mapping (G in its VS-stage leaf) survives the guest's ASID fence. */
    @Test
    void aGuestAsidFenceKeepsTheGuestsGlobalEntries() {
        long leaf = root(0) + 0x2000;
        board.board().memory().write64(leaf, board.board().memory().read64(leaf) | G);
        loadUnder(true, atp(0, 1), 0);
        hart.setRegister(A2, 1);
        hart.setPc(BASE + 0x200);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        hart.run(1);
        hart.setPrivilege(PrivilegeMode.MACHINE, false);

        assertThat(loadUnder(true, atp(0, 1), 0)).isZero();
    }

    /** Cycling the guest through more spaces than are kept evicts only guest spaces, and the least recent first. */
    @Test
    void theGuestNeverTakesTheHostsCurrentSpace() {
        loadUnder(false, atp(0, 9), 0);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < ROOTS; i++) {
                assertThat(loadUnder(true, atp(i, i + 1), i)).as("one more space than kept: each evicted").isPositive();
            }
        }
        assertThat(loadUnder(false, atp(0, 9), 0)).as("the host's current space").isZero();
        assertThat(loadUnder(true, atp(ROOTS - 1, ROOTS), ROOTS - 1)).as("the guest's most recent").isZero();
    }
}
