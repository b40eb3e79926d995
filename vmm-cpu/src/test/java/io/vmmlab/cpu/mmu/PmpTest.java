package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.HypervisorBoard;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.A4;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.bne;
import static io.vmmlab.cpu.testing.Assembler.hlv;
import static io.vmmlab.cpu.testing.Assembler.hsv;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sd;
import static io.vmmlab.cpu.testing.Assembler.wfi;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hart enforces PMP (Privileged spec, "Physical Memory Protection"): S- and U-mode accesses need the matching
 * entry's permission and fail where no entry matches, M-mode is bound by locked entries only, page-table reads are
 * S-mode accesses, a PMP write takes effect at once although the TLB had cached the page, and a page whose bytes
 * different entries decide is checked access by access. S-mode data accesses here are M-mode code's with MPRV and
 * MPP=S (satp Bare unless said).
 */
final class PmpTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x400;
    private static final long DATA = BASE + 0x20000;
    private static final int NAPOT = 0x18;
    private static final int TOR = 0x08;
    private static final int NA4 = 0x10;
    private static final int LOCK = 0x80;
    // Permission bits of pmpcfg (not a PTE's).
    private static final int PR = 1;
    private static final int PW = 2;
    private static final int RWX = 7;

    private TestBoard board;
    private Rv64Hart hart;

    @BeforeEach
    void interpreter() {
        use(new TestBoard());
    }

    private void use(TestBoard board) {
        this.board = board;
        this.hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        board.load(HANDLER, wfi());
        board.memory().write64(DATA, 0x1111);
        board.memory().write64(DATA + 8, 0x2222);
        board.memory().write64(DATA + 0x1000, 0x3333);
        board.load(BASE, ld(A0, A1, 0), wfi(), sd(A3, A1, 0), wfi());
    }

    /** pmpaddr for a naturally aligned region of a power-of-two size of at least 8 bytes. */
    private static long napot(long base, long size) {
        return base >>> 2 | (size >>> 3) - 1;
    }

    /** Sets entries 0..n-1 from (pmpaddr, configuration byte) pairs. */
    private void entries(long... pairs) {
        long configurations = 0;
        for (int i = 0; i < pairs.length / 2; i++) {
            hart.writeCsr(CsrAddress.PMPADDR0 + i, pairs[2 * i]);
            configurations |= pairs[2 * i + 1] << (8 * i);
        }
        hart.writeCsr(CsrAddress.PMPCFG0, configurations);
    }

    /** Everything else readable, writable and executable for S and U (as OpenSBI's last entry). */
    private static final long ALL_ADDRESS = -1;

    /** Runs one load (or store of A3) at an address as S-mode data; returns the trap cause, or -1 for none. */
    private long access(boolean store, long address) {
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
        hart.writeCsr(CsrAddress.MCAUSE, 0);
        long start = store ? BASE + 8 : BASE;
        hart.setPc(start);
        hart.setRegister(A1, address);
        hart.setRegister(A3, 0x7777);
        hart.run(1);
        if (hart.pc() == start + 4) {
            return -1;
        }
        assertThat(hart.pc()).isEqualTo(HANDLER);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).as("xtval").isEqualTo(address);
        return hart.readCsr(CsrAddress.MCAUSE);
    }

    @Test
    void sModeAccessesNeedTheMatchingEntrysPermission() {
        entries(napot(DATA, 0x1000), NAPOT | PR, ALL_ADDRESS, NAPOT | RWX);

        assertThat(access(false, DATA)).isEqualTo(-1);
        assertThat(hart.register(A0)).isEqualTo(0x1111);
        assertThat(access(true, DATA)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(board.memory().read64(DATA)).as("unchanged").isEqualTo(0x1111);
        assertThat(access(true, DATA + 0x1000)).as("the next entry").isEqualTo(-1);
    }

    @Test
    void noMatchingEntryFailsSModeButNotMachineMode() {
        entries(napot(DATA, 0x1000), NAPOT | PR | PW);

        assertThat(access(false, DATA + 0x1000)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        hart.writeCsr(CsrAddress.MSTATUS, 0);
        hart.setPc(BASE);
        hart.run(1);
        assertThat(hart.register(A0)).as("M-mode").isEqualTo(0x3333);
    }

    /** The reset state: the one deviation from the spec, for harts whose firmware programs no PMP. */
    @Test
    void noActiveEntryLetsSModeThrough() {
        assertThat(access(true, DATA)).isEqualTo(-1);
        assertThat(board.memory().read64(DATA)).isEqualTo(0x7777);
    }

    @Test
    void aPmpWriteTakesEffectAlthoughTheTlbHadThePage() {
        entries(ALL_ADDRESS, NAPOT | RWX);
        assertThat(access(false, DATA)).isEqualTo(-1); // the TLB holds the page now

        entries(napot(DATA, 0x1000), NAPOT, ALL_ADDRESS, NAPOT | RWX);

        assertThat(access(false, DATA)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }

    @Test
    void torMatchesFromThePreviousAddressUpToItsOwn() {
        entries(DATA >>> 2, 0, (DATA + 0x2000) >>> 2, TOR | PR, ALL_ADDRESS, NAPOT | RWX);

        assertThat(access(true, DATA + 0x1ff8)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(access(true, DATA)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(access(true, DATA + 0x2000)).isEqualTo(-1);
        assertThat(access(true, DATA - 8)).isEqualTo(-1);
    }

    /** NA4 denies one word of a page: the rest of the page works, that word never does (the page is not cached). */
    @Test
    void aPageThatEntriesSplitIsCheckedAccessByAccess() {
        entries((DATA + 8) >>> 2, NA4, ALL_ADDRESS, NAPOT | RWX);

        for (int round = 0; round < 2; round++) {
            assertThat(access(false, DATA)).isEqualTo(-1);
            assertThat(access(false, DATA + 8)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
            assertThat(access(false, DATA + 16)).isEqualTo(-1);
        }
        // The highest-priority entry that matches a byte must match them all: NA4 covers only half of this access.
        assertThat(access(false, DATA + 4)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }

    /** Sv39 tables mapping 0x4000_0000 to DATA, read and write, with A and D set or clear; returns the leaf table. */
    private long mapVirtualPage(boolean accessedAndDirty) {
        long root = BASE + 0x10000;
        long level1 = BASE + 0x11000;
        long level0 = BASE + 0x12000;
        board.memory().write64(root + 8, (level1 >>> 12) << 10 | V);
        board.memory().write64(level1, (level0 >>> 12) << 10 | V);
        board.memory().write64(level0, (DATA >>> 12) << 10 | R | W | V | (accessedAndDirty ? 0xc0 : 0));
        hart.writeCsr(CsrAddress.SATP, 8L << 60 | root >>> 12);
        return level0;
    }

    @Test
    void pageTableReadsAreSModeAccesses() {
        long level0 = mapVirtualPage(true);
        entries(napot(level0, 0x1000), NAPOT | PW, ALL_ADDRESS, NAPOT | RWX);

        assertThat(access(false, 0x4000_0000L)).as("the leaf table is not readable").isEqualTo(
                TrapCause.LOAD_ACCESS_FAULT);

        entries(napot(level0, 0x1000), NAPOT | PR, ALL_ADDRESS, NAPOT | RWX);
        assertThat(access(false, 0x4000_0000L)).isEqualTo(-1);
        assertThat(hart.register(A0)).isEqualTo(0x1111);
    }

    /**
     * "Attempting to fetch an instruction from a PMP region that does not have execute permissions raises an
     * instruction access-fault exception": in a page PMP makes executable in part, the executable words run and the
     * fetch of the first word without X faults (riscv-arch-test pmp64-*-R, -RW: code and the region under test share
     * a page).
     */
    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void codeInAPageExecutableOnlyInPartRunsUpToTheWordWithoutExecute(boolean translator) {
        if (translator) {
            use(new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART)));
        }
        long code = BASE + 0x3000;
        board.load(code, addi(A0, A0, 1), addi(A0, A0, 1), addi(A0, A0, 1), wfi());
        entries((code + 8) >>> 2, NA4 | PR, ALL_ADDRESS, NAPOT | RWX);
        hart.setPc(code);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);

        hart.run(10);

        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(code + 8);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(code + 8);
        assertThat(hart.register(A0)).as("the two executable words ran, the word without X did not").isEqualTo(2);
    }

    /** "The matching PMP entry must match all bytes ... irrespective of the L, R, W, and X bits": M-mode too. */
    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void anAlignedDoublewordAnUnlockedEntryMatchesInPartFailsInMachineMode(boolean translator) {
        if (translator) {
            use(new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART)));
        }
        entries((DATA + 4) >>> 2, NA4 | RWX); // bytes 4..7 of the doubleword at DATA
        hart.setRegister(A1, DATA + 0x1000);
        hart.setPc(BASE);
        hart.run(1);
        assertThat(hart.register(A0)).as("elsewhere M-mode matches nothing: it may").isEqualTo(0x3333);
        hart.setRegister(A1, DATA);
        hart.setPc(BASE);

        hart.run(1);

        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(DATA);
    }

    /**
     * A misaligned access is checked byte by byte (the spec lets it be split), so a bound inside it fails it only
     * where a byte fails; the same with or without an unrelated locked entry (which makes M-mode checked).
     */
    @ParameterizedTest(name = "locked entry elsewhere {0}")
    @ValueSource(booleans = {false, true})
    void aMisalignedAccessIsCheckedByteByByte(boolean lockedElsewhere) {
        if (lockedElsewhere) {
            entries(napot(DATA, 8), NAPOT | RWX, 0, 0, napot(BASE + 0x80000, 0x1000), NAPOT | LOCK | RWX);
        } else {
            entries(napot(DATA, 8), NAPOT | RWX);
        }
        hart.setRegister(A1, DATA + 4); // bytes 4..11: the entry's last four, then four no entry matches
        hart.setPc(BASE);
        hart.run(1);
        assertThat(hart.pc()).as("M-mode may").isEqualTo(BASE + 4);

        entries(napot(DATA, 8), NAPOT | PR, ALL_ADDRESS, NAPOT | PR);
        assertThat(access(false, DATA + 4)).as("S-mode, readable on both sides").isEqualTo(-1);
        assertThat(hart.register(A0)).isEqualTo(0x2222_0000_0000L);
        entries(napot(DATA, 8), NAPOT | PR);
        assertThat(access(false, DATA + 4)).as("S-mode, its second half matches nothing").isEqualTo(
                TrapCause.LOAD_ACCESS_FAULT);
    }

    /** An active entry that matches nothing (a TOR whose bottom is its top) is still an active entry. */
    @Test
    void anActiveEntryThatMatchesNothingStillFailsSModeAccesses() {
        entries(0, TOR | PR);

        assertThat(access(false, DATA)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }

    /** The walker's A/D update is an S-mode store to the page table. */
    @Test
    void aPageTableThatIsNotWritableFailsTheAccessedBitUpdate() {
        long level0 = mapVirtualPage(false); // A clear: the walk sets it
        entries(napot(level0, 0x1000), NAPOT | PR, ALL_ADDRESS, NAPOT | RWX);

        assertThat(access(false, 0x4000_0000L)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        assertThat(board.memory().read64(level0) & 0x40).as("A stays clear").isZero();
    }

    /** HLV and HSV are checked as accesses of the guest's privilege; HLVX needs X as well as R. */
    @Test
    void hypervisorLoadsAndStoresAreChecked() {
        HypervisorBoard guest = new HypervisorBoard();
        use(guest.board());
        long data = HypervisorBoard.DATA;
        board.memory().write64(data, 0x1234);
        entries(napot(data, 0x1000), NAPOT | PR, ALL_ADDRESS, NAPOT | RWX); // vsatp and hgatp Bare
        guest.setCsr(CsrAddress.HSTATUS, CsrAddress.HSTATUS_SPVP);
        hart.setRegister(A1, data);

        guest.run(PrivilegeMode.MACHINE, false, hlv(3, 0, A0, A1)); // HLV.D
        assertThat(hart.register(A0)).isEqualTo(0x1234);
        guest.run(PrivilegeMode.MACHINE, false, hlv(2, 3, A0, A1)); // HLVX.WU
        assertThat(guest.csr(CsrAddress.MCAUSE)).as("no X").isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
        guest.run(PrivilegeMode.MACHINE, false, hsv(3, A1, A0)); // HSV.D
        assertThat(guest.csr(CsrAddress.MCAUSE)).as("no W").isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(board.memory().read64(data)).isEqualTo(0x1234);
    }

    @Test
    void sModeFetchesNeedExecute() {
        long code = BASE + 0x3000;
        board.load(code, addi(A0, A0, 1), wfi());
        entries(napot(code, 0x1000), NAPOT | PR, ALL_ADDRESS, NAPOT | RWX);
        hart.setPc(code);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);

        hart.run(1);

        assertThat(hart.pc()).isEqualTo(HANDLER);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(code);
        assertThat(hart.register(A0)).isZero();
    }

    /**
     * A locked entry binds M-mode, also in translated code made before the entry was set (whose M-mode loads skip the
     * TLB while no locked entry exists): loads with the entry granting nothing, stores with it granting R.
     */
    @ParameterizedTest(name = "translator {0}, store {1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void aLockedEntryBindsMachineMode(boolean translator, boolean store) {
        if (translator) {
            use(new TestBoard("rv64imac", 1 << 20, new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART)));
        }
        // a0 counts to a2, loading from or storing a3 to a1 each time.
        board.load(BASE + 0x100, store ? sd(A3, A1, 0) : ld(A4, A1, 0), addi(A0, A0, 1), bne(A0, A2, -8), wfi());
        hart.setRegister(A1, DATA);
        hart.setRegister(A2, 500);
        hart.setRegister(A3, 0x5555);
        hart.setPc(BASE + 0x100);
        assertThat(hart.run(10_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(500);

        entries(napot(DATA, 0x1000), NAPOT | LOCK | (store ? PR : 0));
        hart.setRegister(A0, 0);
        hart.setRegister(A3, 0x6666);
        hart.setRegister(A4, 0);
        hart.setPc(BASE + 0x100);
        hart.run(10_000);

        assertThat(hart.pc()).as("past the handler's wfi").isEqualTo(HANDLER + 4);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(
                store ? TrapCause.STORE_ACCESS_FAULT : TrapCause.LOAD_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 0x100);
        assertThat(board.memory().read64(DATA)).isEqualTo(store ? 0x5555 : 0x1111);
        assertThat(hart.register(A4)).isZero();
        assertThat(hart.register(A0)).isZero();
    }

    @Test
    void anUnlockedEntryDoesNotBindMachineMode() {
        entries(napot(DATA, 0x1000), NAPOT);
        hart.setRegister(A1, DATA);
        hart.setRegister(A3, 0x4444);
        hart.setPc(BASE + 8);
        hart.run(1);

        assertThat(board.memory().read64(DATA)).isEqualTo(0x4444);
    }

    @Test
    void aLockedTorEntryAlsoLocksTheAddressBelowIt() {
        entries(DATA >>> 2, 0, (DATA + 0x2000) >>> 2, TOR | LOCK | PR);

        hart.writeCsr(CsrAddress.PMPADDR0, 0);
        hart.writeCsr(CsrAddress.PMPADDR0 + 1, 0);
        hart.writeCsr(CsrAddress.PMPCFG0, 0);

        assertThat(hart.readCsr(CsrAddress.PMPADDR0)).isEqualTo(DATA >>> 2);
        assertThat(hart.readCsr(CsrAddress.PMPADDR0 + 1)).isEqualTo((DATA + 0x2000) >>> 2);
        assertThat(hart.readCsr(CsrAddress.PMPCFG0) >>> 8 & 0xff).isEqualTo(TOR | LOCK | PR);
    }
}
