package io.vmmlab.cpu.csr;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.testing.HypervisorBoard;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.csr.CsrAddress.*;
import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The H extension's CSRs: WARL masks, read-only fields and the VS aliasing of the S CSRs (Priv. spec ch. 21). */
final class HypervisorCsrTest {
    private final HypervisorBoard board = new HypervisorBoard();

    @Test
    void hstatusKeepsOnlyItsWritableFieldsAndVsxlReads64() {
        board.setCsr(HSTATUS, -1L);
        assertThat(board.csr(HSTATUS)).isEqualTo(HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU
                | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VSXL64);
        board.setCsr(HSTATUS, 0);
        assertThat(board.csr(HSTATUS)).isEqualTo(HSTATUS_VSXL64);
    }

    @Test
    void hedelegCannotDelegateEcallsFromVsOrMNorGuestPageFaults() {
        board.setCsr(HEDELEG, -1L);
        long value = board.csr(HEDELEG);
        assertThat(value).isEqualTo(0xb1ffL);
        for (int readOnlyZero : new int[] {9, 10, 11, 20, 21, 22, 23}) {
            assertThat((value >>> readOnlyZero) & 1).as("bit %d", readOnlyZero).isZero();
        }
    }

    @Test
    void hidelegHoldsOnlyVirtualSupervisorInterruptsAndMidelegForcesThem() {
        board.setCsr(HIDELEG, -1L);
        assertThat(board.csr(HIDELEG)).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        board.setCsr(MIDELEG, 0);
        assertThat(board.csr(MIDELEG) & (IP_VSSIP | IP_VSTIP | IP_VSEIP | IP_SGEIP))
                .isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP | IP_SGEIP);
    }

    @Test
    void hvipDrivesHipAndMipAndVsipShowsThemShiftedWhenDelegated() {
        board.setCsr(HVIP, IP_VSSIP | IP_VSTIP | IP_VSEIP | IP_SSIP);
        assertThat(board.csr(HVIP)).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(HIP)).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(MIP) & IP_VIRTUAL_SUPERVISOR).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(VSIP)).isZero();
        board.setCsr(HIDELEG, IP_VSTIP);
        assertThat(board.csr(VSIP)).isEqualTo(IP_STIP);
        board.setCsr(HIDELEG, IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(VSIP)).isEqualTo(IP_SSIP | IP_STIP | IP_SEIP);
    }

    @Test
    void hipWritesOnlyVssipAndVsipWritesOnlyDelegatedSsip() {
        board.setCsr(HIP, IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(HVIP)).isEqualTo(IP_VSSIP);
        board.setCsr(HIP, 0);
        board.setCsr(VSIP, IP_SSIP);
        assertThat(board.csr(HVIP)).as("not delegated: read-only zero").isZero();
        board.setCsr(HIDELEG, IP_VSSIP);
        board.setCsr(VSIP, IP_SSIP | IP_STIP);
        assertThat(board.csr(HVIP)).isEqualTo(IP_VSSIP);
    }

    @Test
    void hieAndVsieAreViewsOfMie() {
        board.setCsr(HIE, -1L);
        assertThat(board.csr(HIE)).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(MIE) & IP_VIRTUAL_SUPERVISOR).isEqualTo(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        assertThat(board.csr(VSIE)).as("nothing delegated").isZero();
        board.setCsr(HIDELEG, IP_VSEIP);
        assertThat(board.csr(VSIE)).isEqualTo(IP_SEIP);
        board.setCsr(VSIE, 0);
        assertThat(board.csr(HIE)).isEqualTo(IP_VSSIP | IP_VSTIP);
    }

    @Test
    void guestExternalInterruptRegistersAreZeroWidth() {
        board.setCsr(HGEIE, -1L);
        board.setCsr(HGEIP, -1L);
        assertThat(board.csr(HGEIE)).isZero();
        assertThat(board.csr(HGEIP)).isZero();
    }

    @Test
    void hgatpAcceptsBareAndSv39x4ToSv57x4AlignsTheRootAndIgnoresOtherModes() {
        board.setCsr(HGATP, 8L << 60 | 0x3fffL << 44 | 0x80007L);
        assertThat(board.csr(HGATP)).isEqualTo(8L << 60 | 0x3fffL << 44 | 0x80004L);
        board.setCsr(HGATP, 9L << 60 | 0x80000L);
        assertThat(board.csr(HGATP)).isEqualTo(9L << 60 | 0x80000L);
        board.setCsr(HGATP, 10L << 60 | 0x90000L);
        assertThat(board.csr(HGATP)).isEqualTo(10L << 60 | 0x90000L);
        board.setCsr(HGATP, 11L << 60 | 0xa0000L);
        assertThat(board.csr(HGATP)).as("reserved mode").isEqualTo(10L << 60 | 0x90000L);
    }

    @ParameterizedTest
    @EnumSource(AddressTranslation.class)
    void vsatpAndHgatpOfferTheModesUpToTheHartsLargest(AddressTranslation largest) {
        HypervisorBoard limited = new HypervisorBoard(largest);
        for (long mode = 8; mode <= 10; mode++) {
            boolean offered = mode <= largest.satpMode();
            limited.setCsr(VSATP, 0);
            limited.setCsr(HGATP, 0);
            limited.setCsr(VSATP, mode << 60 | 0x80000L);
            limited.setCsr(HGATP, mode << 60 | 0x80000L);
            assertThat(limited.csr(VSATP)).as("vsatp mode %d", mode).isEqualTo(offered ? mode << 60 | 0x80000L : 0);
            assertThat(limited.csr(HGATP)).as("hgatp mode %d", mode).isEqualTo(offered ? mode << 60 | 0x80000L : 0);
        }
    }

    @Test
    void vsstatusKeepsSupervisorFieldsAndReportsUxl64() {
        board.setCsr(VSSTATUS, -1L);
        assertThat(board.csr(VSSTATUS)).isEqualTo(STATUS_SIE | STATUS_SPIE | STATUS_SPP | STATUS_SUM | STATUS_MXR
                | (STATUS_XLEN64 & STATUS_UXL));
    }

    @Test
    void supervisorCsrsAliasTheVsCopiesWhileVirtual() {
        board.setCsr(SSCRATCH, 0x11);
        board.setCsr(VSSCRATCH, 0x22);
        board.setCsr(VSSTATUS, STATUS_SUM);
        board.hart().setRegister(A2, 0x33);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrs(A0, SSCRATCH, 0), csrrw(0, SSCRATCH, A2),
                csrrs(A1, SSTATUS, 0), csrrw(0, STVEC, A2));
        assertThat(board.hart().register(A0)).isEqualTo(0x22);
        assertThat(board.csr(VSSCRATCH)).isEqualTo(0x33);
        assertThat(board.csr(SSCRATCH)).as("the HS copy is untouched").isEqualTo(0x11);
        assertThat(board.hart().register(A1) & STATUS_SUM).isEqualTo(STATUS_SUM);
        assertThat(board.csr(VSTVEC)).isEqualTo(0x33 & ~2L);
        assertThat(board.csr(STVEC)).isEqualTo(HypervisorBoard.SUPERVISOR_VECTOR);
    }

    @Test
    void satpAliasesVsatpWhileVirtual() {
        board.hart().setRegister(A2, 8L << 60 | 0x80010L);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrw(0, SATP, A2));
        assertThat(board.csr(VSATP)).isEqualTo(8L << 60 | 0x80010L);
        assertThat(board.csr(SATP)).isZero();
    }

    @Test
    void timeReadsAddHtimedeltaOnlyWhileVirtual() {
        board.board().time().set(1000);
        board.setCsr(HTIMEDELTA, 500);
        board.setCsr(MCOUNTEREN, -1L);
        board.setCsr(HCOUNTEREN, -1L);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrs(A0, TIME, 0));
        board.run(PrivilegeMode.SUPERVISOR, false, csrrs(A1, TIME, 0));
        assertThat(board.hart().register(A0)).isEqualTo(1500);
        assertThat(board.hart().register(A1)).isEqualTo(1000);
    }

    @Test
    void vstimecmpRaisesVstipWithHenvcfgStce() {
        board.board().time().set(100);
        board.setCsr(MENVCFG, ENVCFG_STCE);
        board.setCsr(HENVCFG, ENVCFG_STCE);
        board.setCsr(HTIMEDELTA, 50);
        board.setCsr(VSTIMECMP, 200);
        assertThat(board.csr(HIP) & IP_VSTIP).isZero();
        board.board().time().set(150);
        assertThat(board.csr(HIP) & IP_VSTIP).isEqualTo(IP_VSTIP);
    }

    @Test
    void withoutTheHExtensionHypervisorCsrsDoNotExist() {
        TestBoard plain = new TestBoard();
        assertThatThrownBy(() -> plain.hart().readCsr(HSTATUS)).isInstanceOf(IllegalArgumentException.class);
        plain.load(TestBoard.RAM_BASE, csrrs(A0, HSTATUS, 0));
        plain.hart().writeCsr(MTVEC, TestBoard.RAM_BASE + 0x100);
        plain.hart().run(1);
        assertThat(plain.hart().readCsr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(plain.hart().readCsr(MISA) & (1L << 7)).isZero();
    }

    @Test
    void misaReportsTheHExtension() {
        assertThat(board.csr(MISA) & (1L << 7)).isEqualTo(1L << 7);
    }
}
