package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.testing.HypervisorBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * HLV, HLVX and HSV (Priv. spec ch. 21, "Hypervisor Virtual-Machine Load and Store Instructions"): accesses as
 * VS/VU-mode (hstatus.SPVP) through both stages from HS-mode or, with hstatus.HU, U-mode; HLVX needs execute
 * permission instead of read (the spec, not QEMU, decides); faults set GVA and htinst.
 */
final class HypervisorLoadStoreTest {
    private static final long BASE = HypervisorBoard.BASE;
    private static final long SUPERVISOR_PAGE = VA;
    private static final long USER_PAGE = VA + 0x1000;
    private static final long EXECUTE_ONLY_PAGE = VA + 0x2000;
    private static final long AD = A | D;

    private final HypervisorBoard board = new HypervisorBoard();
    private GuestMemory memory;

    @BeforeEach
    void buildTables() {
        memory = board.board().memory();
        memory.write64(VS_ROOT, Pte.entry(VS_LEVEL1, V));
        memory.write64(VS_LEVEL1 + 0x80 * 8, Pte.entry(VS_LEVEL0, V));
        memory.write64(VS_LEVEL0, Pte.entry(DATA, R | W | V | AD));
        memory.write64(VS_LEVEL0 + 8, Pte.entry(DATA + 0x1000, R | W | U | V | AD));
        memory.write64(VS_LEVEL0 + 2 * 8, Pte.entry(DATA + 0x2000, X | V | AD));
        memory.write64(DATA, 0x8000_0000_0000_00f1L);
        memory.write64(DATA + 0x1000, 0x0000_0000_8000_fff2L);
        memory.write64(DATA + 0x2000, 0x0000_0000_0000_8073L);
        board.setCsr(VSATP, 8L << 60 | VS_ROOT >>> 12);
    }

    private void runHypervisor(int... program) {
        board.run(PrivilegeMode.SUPERVISOR, false, program);
    }

    @Test
    void hlvReadsWithVsPrivilegeAndSignOrZeroExtends() {
        board.setCsr(HSTATUS, HSTATUS_SPVP);
        board.hart().setRegister(A1, SUPERVISOR_PAGE);
        runHypervisor(hlv(3, 0, A0, A1), hlv(0, 0, A2, A1), hlv(0, 1, A3, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0x8000_0000_0000_00f1L);
        assertThat(board.hart().register(A2)).isEqualTo(0xffff_ffff_ffff_fff1L);
        assertThat(board.hart().register(A3)).isEqualTo(0xf1);
        assertThat(board.hart().virtualMode()).isFalse();
    }

    @Test
    void hlvWordVariants() {
        board.hart().setRegister(A1, USER_PAGE);
        runHypervisor(hlv(2, 0, A0, A1), hlv(2, 1, A2, A1), hlv(1, 0, A3, A1), hlv(1, 1, A4, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0xffff_ffff_8000_fff2L);
        assertThat(board.hart().register(A2)).isEqualTo(0x8000_fff2L);
        assertThat(board.hart().register(A3)).isEqualTo(0xffff_ffff_ffff_fff2L);
        assertThat(board.hart().register(A4)).isEqualTo(0xfff2);
    }

    @Test
    void spvpZeroAccessesAsVuModeSoSupervisorPagesFault() {
        board.setCsr(MEDELEG, 1L << TrapCause.LOAD_PAGE_FAULT);
        board.hart().setRegister(A1, SUPERVISOR_PAGE);
        runHypervisor(hlv(3, 0, A0, A1));
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.SUPERVISOR_VECTOR);
        assertThat(board.csr(SCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(board.csr(STVAL)).isEqualTo(SUPERVISOR_PAGE);
        assertThat(board.csr(HSTATUS) & HSTATUS_GVA).as("stval is a guest-virtual address").isEqualTo(HSTATUS_GVA);
        assertThat(board.csr(HSTATUS) & HSTATUS_SPV).as("the trap came from V=0").isZero();
        assertThat(board.csr(HTINST)).isEqualTo(hlv(3, 0, A0, 0) & 0xffff_ffffL);
    }

    @Test
    void userPagesNeedVsstatusSumWhenSpvpIsSet() {
        board.setCsr(HSTATUS, HSTATUS_SPVP);
        board.hart().setRegister(A1, USER_PAGE);
        runHypervisor(hlv(3, 0, A0, A1));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        board.setCsr(VSSTATUS, STATUS_SUM);
        runHypervisor(hlv(3, 0, A0, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0x0000_0000_8000_fff2L);
    }

    @Test
    void hlvxNeedsExecuteNotReadPermission() {
        board.setCsr(HSTATUS, HSTATUS_SPVP);
        board.hart().setRegister(A1, EXECUTE_ONLY_PAGE);
        board.hart().setRegister(A2, SUPERVISOR_PAGE);
        runHypervisor(hlv(1, 3, A0, A1), hlv(2, 3, A3, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0x8073);
        assertThat(board.hart().register(A3)).isEqualTo(0x8073);
        runHypervisor(hlv(2, 3, A0, A2));
        assertThat(board.csr(MCAUSE)).as("readable but not executable").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        runHypervisor(hlv(2, 0, A0, A1));
        assertThat(board.csr(MCAUSE)).as("plain HLV on execute-only").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
    }

    @Test
    void hsvWritesThroughTheGuestTables() {
        board.hart().setRegister(A1, USER_PAGE);
        board.hart().setRegister(A2, 0x1234_5678_9abc_def0L);
        runHypervisor(hsv(3, A1, A2), hsv(0, A1, 0));
        assertThat(memory.read64(DATA + 0x1000)).isEqualTo(0x1234_5678_9abc_de00L);
    }

    @Test
    void hsvToReadOnlyPageIsAStorePageFault() {
        memory.write64(VS_LEVEL0 + 8, Pte.entry(DATA + 0x1000, R | U | V | AD));
        board.hart().setRegister(A1, USER_PAGE);
        runHypervisor(hsv(2, A1, A2));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.STORE_PAGE_FAULT);
        assertThat(board.csr(MSTATUS) & STATUS_GVA).isEqualTo(STATUS_GVA);
    }

    @Test
    void hlvFromUModeNeedsHu() {
        board.hart().setRegister(A1, USER_PAGE);
        board.run(PrivilegeMode.USER, false, hlv(3, 0, A0, A1));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        board.setCsr(HSTATUS, HSTATUS_HU);
        board.run(PrivilegeMode.USER, false, hlv(3, 0, A0, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0x0000_0000_8000_fff2L);
    }

    @Test
    void hlvGoesThroughTheGStageAndReportsGuestPageFaults() {
        long gRoot = BASE + 0x10_0000;
        memory.write64(gRoot + 2 * 8, Pte.entry(BASE, U | X | W | R | V | AD));
        board.setCsr(HGATP, 8L << 60 | gRoot >>> 12);
        board.hart().setRegister(A1, USER_PAGE);
        runHypervisor(hlv(3, 0, A0, A1));
        assertThat(board.hart().register(A0)).isEqualTo(0x0000_0000_8000_fff2L);
        memory.write64(VS_LEVEL0 + 8, Pte.entry(0x4000_0000L, R | W | U | V | AD));
        board.hart().flushCaches();
        runHypervisor(hlv(3, 0, A0, A1));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_GUEST_PAGE_FAULT);
        assertThat(board.csr(MTVAL)).isEqualTo(USER_PAGE);
        assertThat(board.csr(MTVAL2)).isEqualTo(0x4000_0000L >>> 2);
        assertThat(board.csr(MSTATUS) & (STATUS_GVA | STATUS_MPV)).isEqualTo(STATUS_GVA);
    }

    @Test
    void misalignedHlvRaisesAddressMisaligned() {
        board.hart().setRegister(A1, USER_PAGE + 2);
        runHypervisor(hlv(2, 0, A0, A1));
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.LOAD_ADDRESS_MISALIGNED);
    }
}
