package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.testing.HypervisorBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static io.vmmlab.cpu.csr.CsrAddress.*;
import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.cpu.testing.HypervisorBoard.DATA;
import static io.vmmlab.cpu.testing.HypervisorBoard.VA;
import static io.vmmlab.cpu.testing.HypervisorBoard.VS_LEVEL0;
import static io.vmmlab.cpu.testing.HypervisorBoard.VS_LEVEL1;
import static io.vmmlab.cpu.testing.HypervisorBoard.VS_ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two-stage translation (Priv. spec ch. 21, "Two-Stage Address Translation"): VS-stage through vsatp, G-stage
 * Sv39x4 through hgatp with user-level permissions, guest-page faults 20/21/23 with the guest-physical address
 * in mtval2/htval, the transformed instruction or the VS-stage pseudoinstruction in mtinst/htinst, and GVA.
 */
final class TwoStageTranslationTest {
    private static final long BASE = HypervisorBoard.BASE;
    private static final long G_ROOT = BASE + 0x10_0000;
    private static final long G_LEVEL1 = BASE + 0x10_4000;
    private static final long G_LEVEL0 = BASE + 0x10_5000;
    /** Guest-physical pages at 0x4000_0000 + n * 4 KiB with different G-stage permissions. */
    private static final long GPA = 0x4000_0000L;
    private static final long GPA_READ_WRITE = GPA;
    private static final long GPA_READ_ONLY = GPA + 0x1000;
    private static final long GPA_NOT_USER = GPA + 0x2000;
    private static final long GPA_EXECUTE_ONLY = GPA + 0x3000;
    private static final long GPA_UNMAPPED = GPA + 0x4000;
    private static final long GPA_TABLE_READ_ONLY = GPA + 0x5000;

    private final HypervisorBoard board = new HypervisorBoard();
    private GuestMemory memory;

    @BeforeEach
    void buildTables() {
        memory = board.board().memory();
        // G-stage: an identity gigapage for GPA 0x8000_0000 and 4 KiB pages at GPA 0x4000_0000.
        memory.write64(G_ROOT + 2 * 8, Pte.entry(BASE, U | X | W | R | V | A | D));
        memory.write64(G_ROOT + 8, Pte.entry(G_LEVEL1, V));
        memory.write64(G_LEVEL1, Pte.entry(G_LEVEL0, V));
        memory.write64(G_LEVEL0, Pte.entry(DATA, U | R | W | V));
        memory.write64(G_LEVEL0 + 8, Pte.entry(DATA + 0x1000, U | R | V | A));
        memory.write64(G_LEVEL0 + 2 * 8, Pte.entry(DATA + 0x2000, R | W | V | A | D));
        memory.write64(G_LEVEL0 + 3 * 8, Pte.entry(DATA + 0x3000, U | X | V | A));
        memory.write64(G_LEVEL0 + 5 * 8, Pte.entry(VS_LEVEL0 + 0x1000, U | R | V | A));
        // VS-stage: VA 0x1000_0000 + n * 4 KiB -> guest-physical pages above.
        memory.write64(VS_ROOT, Pte.entry(VS_LEVEL1, V));
        memory.write64(VS_LEVEL1 + 0x80 * 8, Pte.entry(VS_LEVEL0, V));
        memory.write64(VS_LEVEL0, Pte.entry(GPA_READ_WRITE, R | W | V | A | D));
        memory.write64(VS_LEVEL0 + 8, Pte.entry(GPA_READ_ONLY, R | W | V | A | D));
        memory.write64(VS_LEVEL0 + 2 * 8, Pte.entry(GPA_NOT_USER, R | W | V | A | D));
        memory.write64(VS_LEVEL0 + 3 * 8, Pte.entry(GPA_EXECUTE_ONLY, X | V | A));
        memory.write64(VS_LEVEL0 + 4 * 8, Pte.entry(GPA_UNMAPPED, R | W | V | A | D));
        // VA 0x1020_5000: its VS leaf table lies in G-stage read-only memory and has A clear.
        memory.write64(VS_LEVEL1 + 0x81 * 8, Pte.entry(GPA_TABLE_READ_ONLY, V));
        memory.write64(VS_LEVEL0 + 0x1000 + 5 * 8, Pte.entry(GPA_READ_WRITE, R | W | V));
        // VA 0x1040_0000: its VS leaf table is at an unmapped guest-physical address.
        memory.write64(VS_LEVEL1 + 0x82 * 8, Pte.entry(GPA_UNMAPPED, V));
        memory.write64(DATA, 0x1111_2222_3333_4444L);
        memory.write64(DATA + 0x1000, 0x5555_6666_7777_8888L);
        board.setCsr(HGATP, 8L << 60 | G_ROOT >>> 12);
        board.setCsr(VSATP, 8L << 60 | VS_ROOT >>> 12);
    }

    /** M-mode code whose loads and stores are made as VS-mode through MPRV, MPV and MPP=S. */
    private void runAsGuestData(int... program) {
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.run(PrivilegeMode.MACHINE, false, program);
    }

    @Test
    void loadsAndStoresGoThroughBothStages() {
        board.hart().setRegister(A1, VA);
        board.hart().setRegister(A2, 99);
        board.hart().setRegister(A4, VA + 0x1000);
        runAsGuestData(ld(A0, A1, 0), sd(A2, A1, 8), ld(A3, A4, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(memory.read64(DATA + 8)).isEqualTo(99);
        assertThat(board.hart().register(A3)).isEqualTo(0x5555_6666_7777_8888L);
        // Three TLB fills (load and store entries are separate). The first walks the G-stage four times: for the
        // three VS-stage table pages and for the data page. The hart caches G-stage translations, so the store walks
        // it once more (the data page's leaf still has D clear for it) and the last load once (another data page).
        assertThat(board.board().counters().snapshot().get("mmu", "gstage-walk")).isEqualTo(4 + 1 + 1);
    }

    /**
     * A host that rewrote a page table the hart walks (as a shadow-paging VMM does) asks for a translation flush:
     * without one the hart keeps the translation it cached, with one it walks the new table.
     */
    @Test
    void aTranslationFlushMakesTheHartWalkRewrittenTables() {
        board.hart().setRegister(A1, VA);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        memory.write64(VS_LEVEL0, Pte.entry(GPA_READ_ONLY, R | W | V | A | D)); // behind the hart's back

        rerun();
        assertThat(board.hart().register(A0)).as("the cached translation").isEqualTo(0x1111_2222_3333_4444L);
        board.hart().flushTranslations();
        rerun();
        assertThat(board.hart().register(A0)).as("after the flush").isEqualTo(0x5555_6666_7777_8888L);
    }

    /** Runs the loaded one-instruction program again, as guest data accesses, without reloading it. */
    private void rerun() {
        board.hart().setPc(BASE);
        board.hart().setPrivilege(PrivilegeMode.MACHINE, false);
        board.hart().run(1);
    }

    @Test
    void gStageLeavesGetAccessedAndDirtySetByHardware() {
        board.hart().setRegister(A1, VA);
        runAsGuestData(sd(0, A1, 0));
        assertThat(memory.read64(G_LEVEL0) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void storeToGStageReadOnlyPageIsAStoreGuestPageFaultWithGpaAndTransformedInstruction() {
        board.hart().setRegister(A1, VA + 0x1000);
        runAsGuestData(sw(A2, A1, 0x10));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.STORE_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL)).isEqualTo(VA + 0x1010);
        assertThat(board.csr(MTVAL2)).isEqualTo((GPA_READ_ONLY + 0x10) >>> 2);
        assertThat(board.csr(MTINST)).as("sw a2, 0(x0)").isEqualTo(sw(A2, 0, 0) & 0xffff_ffffL);
        assertThat(board.csr(MSTATUS) & STATUS_GVA).isEqualTo(STATUS_GVA);
    }

    @Test
    void gStagePagesNeedTheUserBit() {
        board.hart().setRegister(A1, VA + 0x2000);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL2)).isEqualTo(GPA_NOT_USER >>> 2);
    }

    @Test
    void unmappedGuestPhysicalPageIsALoadGuestPageFault() {
        board.hart().setRegister(A1, VA + 0x4000);
        runAsGuestData(lw(A0, A1, 4));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL)).isEqualTo(VA + 0x4004);
        assertThat(board.csr(MTVAL2)).isEqualTo((GPA_UNMAPPED + 4) >>> 2);
        assertThat(board.csr(MTINST)).as("lw a0, 0(x0)").isEqualTo(lw(A0, 0, 0) & 0xffff_ffffL);
    }

    @Test
    void compressedLoadsTransformWithBitOneClear() {
        // c.ld a0, 0(a1): 011 000 011 00 010 00 -> 0x6188
        board.hart().setRegister(A1, VA + 0x4000);
        runAsGuestData(compressedPair(0x6188, 0x0001));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTINST)).isEqualTo((ld(A0, 0, 0) & ~2) & 0xffff_ffffL);
    }

    @Test
    void amoFaultsAreStoreGuestPageFaultsWithTheWholeInstruction() {
        board.hart().setRegister(A1, VA + 0x1000);
        runAsGuestData(amo(0x00, true, A0, A1, A2));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.STORE_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTINST)).isEqualTo(amo(0x00, true, A0, 0, A2) & 0xffff_ffffL);
    }

    @Test
    void vsStageTableAtUnmappedGuestPhysicalAddressFaultsWithTheReadPseudoinstruction() {
        board.hart().setRegister(A1, 0x1040_0000L);
        runAsGuestData(sd(A2, A1, 0));
        assertThat(board.csr(MCAUSE)).as("cause of the original access").isEqualTo(
                TrapCause.STORE_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL)).isEqualTo(0x1040_0000L);
        assertThat(board.csr(MTVAL2)).isEqualTo(GPA_UNMAPPED >>> 2);
        assertThat(board.csr(MTINST)).isEqualTo(0x3000);
    }

    @Test
    void vsStageAccessedBitUpdateInGStageReadOnlyTableFaultsWithTheWritePseudoinstruction() {
        board.hart().setRegister(A1, 0x1020_5000L);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL2)).isEqualTo((GPA_TABLE_READ_ONLY + 5 * 8) >>> 2);
        assertThat(board.csr(MTINST)).isEqualTo(0x3020);
    }

    @Test
    void vsStagePageFaultsAreOrdinaryPageFaults() {
        board.hart().setRegister(A1, VA + 0x3000);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).as("execute-only without MXR").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(board.csr(MTVAL2)).isZero();
    }

    @Test
    void vsstatusMxrMakesVsStageExecuteOnlyReadableButNotGStage() {
        board.setCsr(VSSTATUS, STATUS_MXR);
        board.hart().setRegister(A1, VA + 0x3000);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).as("G-stage page is execute-only too").isEqualTo(
                TrapCause.LOAD_GUEST_PAGE_FAULT);
    }

    @Test
    void mstatusMxrMakesBothStagesExecuteOnlyReadable() {
        memory.write64(DATA + 0x3000, 77);
        board.hart().setRegister(A1, VA + 0x3000);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT | STATUS_MXR);
        board.run(PrivilegeMode.MACHINE, false, ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(77);
    }

    @Test
    void fetchesNeedGStageExecutePermission() {
        board.setCsr(VSATP, 0);
        board.hart().setPc(GPA_READ_WRITE);
        board.hart().setPrivilege(PrivilegeMode.SUPERVISOR, true);
        board.hart().run(1);
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.INSTRUCTION_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL)).isEqualTo(GPA_READ_WRITE);
        assertThat(board.csr(MTVAL2)).isEqualTo(GPA_READ_WRITE >>> 2);
        assertThat(board.csr(MTINST)).isZero();
        assertThat(board.csr(MSTATUS) & (STATUS_MPV | STATUS_GVA)).isEqualTo(STATUS_MPV | STATUS_GVA);
    }

    @Test
    void fetchesFromGStageExecuteOnlyPagesRun() {
        board.setCsr(VSATP, 0);
        memory.write32(DATA + 0x3000, addi(A0, 0, 7));
        board.hart().flushCaches();
        board.hart().setPc(GPA_EXECUTE_ONLY);
        board.hart().setPrivilege(PrivilegeMode.SUPERVISOR, true);
        board.hart().run(1);
        assertThat(board.hart().register(A0)).isEqualTo(7);
    }

    @Test
    void vsStageFetchWorksWhenTheGuestPageTablesAreNotExecutableInGStage() {
        // Implicit page-table reads are loads for the G-stage, whatever the original access.
        memory.write64(VS_LEVEL0 + 6 * 8, Pte.entry(GPA_EXECUTE_ONLY, X | V | A));
        memory.write32(DATA + 0x3000, addi(A0, 0, 5));
        board.hart().flushCaches();
        board.hart().setPc(VA + 0x6000);
        board.hart().setPrivilege(PrivilegeMode.SUPERVISOR, true);
        board.hart().run(1);
        assertThat(board.hart().register(A0)).isEqualTo(5);
    }

    @Test
    void guestPageFaultsDelegatedToHsFillHtvalHtinstAndHstatus() {
        board.setCsr(VSATP, 0);
        board.setCsr(MEDELEG, 1L << TrapCause.LOAD_GUEST_PAGE_FAULT);
        board.board().load(GPA_EXECUTE_ONLY - GPA + DATA, ld(A0, A1, 8));
        board.hart().setRegister(A1, GPA_UNMAPPED);
        board.hart().setPc(GPA_EXECUTE_ONLY);
        board.hart().setPrivilege(PrivilegeMode.SUPERVISOR, true);
        board.hart().run(1);
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.SUPERVISOR_VECTOR);
        assertThat(board.csr(SCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(STVAL)).isEqualTo(GPA_UNMAPPED + 8);
        assertThat(board.csr(HTVAL)).isEqualTo((GPA_UNMAPPED + 8) >>> 2);
        assertThat(board.csr(HTINST)).isEqualTo(ld(A0, 0, 0) & 0xffff_ffffL);
        assertThat(board.csr(HSTATUS) & (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP))
                .isEqualTo(HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP);
        assertThat(board.csr(SEPC)).isEqualTo(GPA_EXECUTE_ONLY);
    }

    @Test
    void guestPhysicalAddressesBeyondSv39x4Fault() {
        board.setCsr(VSATP, 0);
        board.hart().setRegister(A1, 1L << 41);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL2)).isEqualTo((1L << 41) >>> 2);
    }

    @Test
    void sv39x4RootIndexUsesElevenBits() {
        board.setCsr(VSATP, 0);
        // GPA 0x100_0000_0000 + 0x4000_0000 has root index 0x401: map it to the data page.
        memory.write64(G_ROOT + 0x401 * 8, Pte.entry(G_LEVEL1, V));
        board.hart().setRegister(A1, (1L << 40) + GPA);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
    }

    @Test
    void sv48x4WalksFourLevelsWithAnElevenBitRoot() {
        board.setCsr(VSATP, 0);
        // Sv48x4: root index = GPA bits 49:39; the old root becomes level 2 under entry 0x401 (GPA 2^49 + 2^39 ...).
        long root48 = BASE + 0x14_0000;
        long gpa = (1L << 49) | (1L << 39) | GPA;
        memory.write64(root48 + 0x401 * 8, Pte.entry(G_ROOT, V));
        board.setCsr(HGATP, 9L << 60 | root48 >>> 12);
        board.hart().setRegister(A1, gpa);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        board.hart().setRegister(A1, 1L << 50);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).as("beyond 50 bits").isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
    }

    @Test
    void sv57x4WalksFiveLevelsWithAnElevenBitRoot() {
        board.setCsr(VSATP, 0);
        // Sv57x4: root index = GPA bits 58:48; under entry 0x401 a level-3 table whose entry 0x001 holds the Sv39x4
        // root of the other tests as its level 2 (GPA 2^58 + 2^48 + 2^39 + ...).
        long root57 = BASE + 0x14_0000;
        long level3 = BASE + 0x14_4000;
        long gpa = (1L << 58) | (1L << 48) | (1L << 39) | GPA;
        memory.write64(root57 + 0x401 * 8, Pte.entry(level3, V));
        memory.write64(level3 + 8, Pte.entry(G_ROOT, V));
        board.setCsr(HGATP, 10L << 60 | root57 >>> 12);
        long walksBefore = board.board().counters().snapshot().get("mmu", "walk");
        board.hart().setRegister(A1, gpa);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.board().counters().snapshot().get("mmu", "walk") - walksBefore).isEqualTo(5);
        board.hart().setRegister(A1, 1L << 59);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.csr(MCAUSE)).as("beyond 59 bits").isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL2)).isEqualTo((1L << 59) >>> 2);
    }

    @Test
    void hgatpBareMeansGuestPhysicalIsSupervisorPhysical() {
        board.setCsr(HGATP, 0);
        board.setCsr(VSATP, 0);
        board.hart().setRegister(A1, DATA);
        runAsGuestData(ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
    }

    @Test
    void hfenceGvmaFlushesCachedGStageTranslations() {
        board.board().load(BASE, ld(A0, A1, 0), ld(A2, A1, 0), hfenceGvma(0, 0), ld(A3, A1, 0));
        board.hart().setRegister(A1, VA);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        long flushes = board.board().counters().snapshot().get("tlb", "flush");
        board.hart().run(1);
        memory.write64(G_LEVEL0, Pte.entry(DATA + 0x1000, U | R | W | V | A | D));
        board.hart().run(3);
        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.hart().register(A2)).as("still cached").isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.hart().register(A3)).isEqualTo(0x5555_6666_7777_8888L);
        assertThat(board.board().counters().snapshot().get("tlb", "flush")).isEqualTo(flushes + 1);
        assertThat(board.board().counters().snapshot().get("tlb", "hfence")).isEqualTo(1);
    }

    /**
     * The hart caches G-stage translations apart from its TLB: an SFENCE.VMA or HFENCE.VVMA (VS-stage) makes it walk
     * the VS-stage again, but the G-stage translations of the VS tables and the data page stay.
     */
    @Test
    void vsStageFencesKeepTheCachedGStageTranslations() {
        board.board().load(BASE, ld(A0, A1, 0), hfenceVvma(0, 0), ld(A2, A1, 0), sfenceVma(0, 0), ld(A3, A1, 0));
        board.hart().setRegister(A1, VA);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        board.hart().run(1);
        long gstageWalks = board.board().counters().snapshot().get("mmu", "gstage-walk");
        long walks = board.board().counters().snapshot().get("mmu", "walk");

        board.hart().run(4);

        assertThat(board.hart().register(A3)).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.board().counters().snapshot().get("mmu", "walk")).as("the VS-stage twice again")
                .isEqualTo(walks + 2 * 3);
        assertThat(board.board().counters().snapshot().get("mmu", "gstage-walk")).isEqualTo(gstageWalks);
    }

    /** An hgatp write, or a host's flush (the VMM rewrote its G-stage tables), drops the cached G-stage ones. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hgatp write", "host flush", "host range flush", "host cache flush"})
    void hgatpWritesAndHostFlushesDropCachedGStageTranslations(String how) {
        board.board().load(BASE, ld(A0, A1, 0), ld(A2, A1, 0)); // loaded once: loading code flushes everything
        board.hart().setRegister(A1, VA);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        board.hart().run(1);
        memory.write64(G_LEVEL0, Pte.entry(DATA + 0x1000, U | R | W | V | A | D));
        switch (how) {
            case "hgatp write" -> board.setCsr(HGATP, board.csr(HGATP));
            case "host flush" -> board.hart().flushTranslations();
            case "host cache flush" -> board.hart().flushCaches(); // code and translations
            default -> board.hart().flushTranslations(GPA_READ_WRITE, 0x1000); // the range of the table changed
        }

        board.hart().run(1);

        assertThat(board.hart().register(A0)).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.hart().register(A2)).isEqualTo(0x5555_6666_7777_8888L);
    }

    /**
     * A host that takes write permission to a page away from its G-stage tables says so with {@code revokeWrite}
     * (as a hypervisor logging dirty pages would): the cached G-stage translation that granted stores goes too.
     */
    @Test
    void revokeWriteDropsTheCachedGStageTranslationOfThatPage() {
        board.board().load(BASE, sd(A2, A1, 0), sd(A2, A1, 0));
        board.hart().setRegister(A1, VA);
        board.hart().setRegister(A2, 42);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        board.hart().run(1);
        assertThat(memory.read64(DATA)).isEqualTo(42);
        memory.write64(G_LEVEL0, Pte.entry(DATA, U | R | V | A | D)); // the host takes W away
        board.hart().revokeWrite(DATA);
        board.hart().setRegister(A2, 43);

        board.hart().run(1);

        assertThat(memory.read64(DATA)).as("no store through the revoked mapping").isEqualTo(42);
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.STORE_GUEST_PAGE_FAULT);
    }

    /** A PMP write drops the cached G-stage translations too: their table reads passed the old rules. */
    @Test
    void aPmpWriteDropsCachedGStageTranslations() {
        board.board().load(BASE, ld(A0, A1, 0), ld(A2, A1, 0));
        board.hart().setRegister(A1, VA);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        board.hart().run(1);
        // G_LEVEL0 (4 KiB) readable by nothing below M; everything else RWX.
        board.setCsr(PMPADDR0, G_LEVEL0 >>> 2 | 0x1ff);
        board.setCsr(PMPADDR0 + 1, -1);
        board.setCsr(PMPCFG0, 0x18 | (0x18 | 7) << 8);

        board.hart().run(1);

        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }

    @Test
    void hfenceVvmaFlushesCachedVsStageTranslations() {
        board.board().load(BASE, ld(A0, A1, 0), ld(A2, A1, 0), hfenceVvma(0, 0), ld(A3, A1, 0));
        board.hart().setRegister(A1, VA);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.hart().setPc(BASE);
        board.hart().run(1);
        memory.write64(VS_LEVEL0, Pte.entry(GPA_READ_ONLY, R | W | V | A | D));
        board.hart().run(3);
        assertThat(board.hart().register(A2)).as("still cached").isEqualTo(0x1111_2222_3333_4444L);
        assertThat(board.hart().register(A3)).isEqualTo(0x5555_6666_7777_8888L);
    }
}
