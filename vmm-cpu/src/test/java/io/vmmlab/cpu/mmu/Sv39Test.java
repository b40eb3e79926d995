package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

final class Sv39Test {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long ROOT = BASE + 0x10000;
    private static final long LEVEL1 = BASE + 0x11000;
    private static final long LEVEL0 = BASE + 0x12000;
    private static final long DATA = BASE + 0x20000;
    private static final long VIRTUAL = 0x4000_0000L;

    private TestBoard board;
    private Rv64Hart hart;

    @BeforeEach
    void buildTables() {
        board = new TestBoard();
        hart = board.hart();
        board.memory().write64(ROOT + 8, (LEVEL1 >>> 12) << 10 | V);
        board.memory().write64(LEVEL1, (LEVEL0 >>> 12) << 10 | V);
        board.memory().write64(LEVEL0, (DATA >>> 12) << 10 | R | W | V);
        board.memory().write64(LEVEL0 + 8, (DATA >>> 12) << 10 | R | V | U);
        board.memory().write64(DATA, 0x1234_5678_9abc_def0L);
        hart.writeCsr(CsrAddress.MTVEC, BASE + 0x400);
        board.load(BASE + 0x400, jal(0, 0));
        hart.writeCsr(CsrAddress.SATP, 8L << 60 | ROOT >>> 12);
        // M-mode code, S-mode data: MPRV=1, MPP=S.
        hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
    }

    @Test
    void loadsAndStoresGoThroughTheTablesAndSetAccessedAndDirty() {
        board.load(BASE, ld(A0, A1, 0), sd(A2, A1, 8));
        hart.setRegister(A1, VIRTUAL);
        hart.setRegister(A2, 42);
        hart.run(2);
        assertThat(hart.register(A0)).isEqualTo(0x1234_5678_9abc_def0L);
        assertThat(board.memory().read64(DATA + 8)).isEqualTo(42);
        assertThat(board.memory().read64(LEVEL0) & (A | D)).isEqualTo(A | D);
        assertThat(board.counters().snapshot().get("mmu", "walk")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSatpWriteIsNoTlbFlushButSfenceVmaIs() {
        // With ASID 0 the hart's TLB drops its entries on both; the architecture flushes only on the fence, and only
        // that is counted (AddressSpaceTlbsTest: with another ASID the entries stay across the satp write).
        board.load(BASE, csrrw(0, (int) CsrAddress.SATP, A3), sfenceVma(0, 0));
        hart.setRegister(A3, 8L << 60 | ROOT >>> 12);
        long before = board.counters().snapshot().get("tlb", "flush");

        hart.run(1);
        assertThat(board.counters().snapshot().get("tlb", "flush")).isEqualTo(before);
        hart.run(1);
        assertThat(board.counters().snapshot().get("tlb", "flush")).isEqualTo(before + 1);
    }

    @Test
    void unmappedAddressesRaisePageFaultsWithTheVirtualAddress() {
        board.load(BASE, ld(A0, A1, 0));
        hart.setRegister(A1, VIRTUAL + 0x5008);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(hart.readCsr(CsrAddress.MTVAL)).isEqualTo(VIRTUAL + 0x5008);
    }

    @Test
    void storesToReadOnlyPagesRaiseStorePageFaults() {
        board.load(BASE, sw(A2, A1, 0));
        hart.setRegister(A1, VIRTUAL + 0x1000);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.STORE_PAGE_FAULT);
    }

    @Test
    void userPagesNeedSumFromSupervisorMode() {
        board.load(BASE, ld(A0, A1, 0), ld(A0, A1, 0));
        hart.setRegister(A1, VIRTUAL + 0x1000);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        hart.setPc(BASE);
        // The trap set MPP to M; restore S-mode data accesses, now with SUM.
        hart.writeCsr(CsrAddress.MSTATUS,
                CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT | CsrAddress.STATUS_SUM);
        hart.run(1);
        assertThat(hart.register(A0)).isEqualTo(0x1234_5678_9abc_def0L);
    }

    @Test
    void nonCanonicalAddressesFault() {
        board.load(BASE, ld(A0, A1, 0));
        hart.setRegister(A1, 1L << 40);
        hart.run(1);
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
    }

    @Test
    void satpIgnoresUnsupportedModesAndAcceptsSv48() {
        long before = hart.readCsr(CsrAddress.SATP);
        hart.writeCsr(CsrAddress.SATP, 11L << 60 | 5);
        assertThat(hart.readCsr(CsrAddress.SATP)).isEqualTo(before);
        hart.writeCsr(CsrAddress.SATP, 9L << 60 | 5);
        assertThat(hart.readCsr(CsrAddress.SATP)).isEqualTo(9L << 60 | 5);
    }

    @Test
    void executionFromSupervisorModeFetchesThroughTheTables() {
        board.memory().write64(LEVEL0 + 16, (BASE >>> 12) << 10 | R | X | V);
        board.load(BASE, addi(A0, 0, 99), jal(0, 0));
        hart.writeCsr(CsrAddress.MSTATUS, 0);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, false);
        hart.setPc(VIRTUAL + 0x2000);
        hart.run(3);
        assertThat(hart.register(A0)).isEqualTo(99);
        assertThat(hart.pc()).isEqualTo(VIRTUAL + 0x2004);
    }

    @Test
    void storesIntoDecodedCodeAreSeenByTheNextFetch() {
        // sw a2, 8(a1) overwrites the instruction at BASE+8 with "addi a0, x0, 5".
        board.load(BASE, sw(A2, A1, 8), addi(0, 0, 0), addi(A0, 0, 1));
        hart.writeCsr(CsrAddress.MSTATUS, 0);
        hart.setRegister(A1, BASE);
        hart.setRegister(A2, addi(A0, 0, 5));
        hart.run(3);
        assertThat(hart.register(A0)).isEqualTo(5);
    }
}
