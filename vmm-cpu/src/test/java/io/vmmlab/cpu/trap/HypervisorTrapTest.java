package io.vmmlab.cpu.trap;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.testing.HypervisorBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.vmmlab.cpu.csr.CsrAddress.*;
import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * H-extension traps: virtual-instruction exceptions (cause 22), delegation through hedeleg to VS-mode, trap entry
 * into HS and M from V=1 (SPV, SPVP, MPV, GVA), xRET into V=1, and the interrupt routing rules with
 * hideleg/hvip (Priv. spec ch. 21, "Traps" and "Virtual Instruction Exception").
 */
final class HypervisorTrapTest {
    private static final long BASE = HypervisorBoard.BASE;
    private final HypervisorBoard board = new HypervisorBoard();

    private void runToMachine(PrivilegeMode mode, boolean virtual, int instruction) {
        board.run(mode, virtual, instruction);
        assertThat(board.hart().pc()).as("trapped to M").isEqualTo(HypervisorBoard.MACHINE_VECTOR);
    }

    private void assertVirtualInstruction(PrivilegeMode mode, int instruction) {
        runToMachine(mode, true, instruction);
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.VIRTUAL_INSTRUCTION);
        assertThat(board.csr(MTVAL)).isEqualTo(instruction & 0xffff_ffffL);
        assertThat(board.csr(MSTATUS) & STATUS_MPV).isEqualTo(STATUS_MPV);
    }

    private void assertIllegal(PrivilegeMode mode, boolean virtual, int instruction) {
        runToMachine(mode, virtual, instruction);
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void hypervisorCsrsFromVsModeAreVirtualInstructions() {
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, csrrs(A0, HSTATUS, 0));
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, csrrs(A0, VSSTATUS, 0));
    }

    @Test
    void supervisorCsrsFromVuModeAreVirtualInstructions() {
        assertVirtualInstruction(PrivilegeMode.USER, csrrs(A0, SSTATUS, 0));
    }

    @Test
    void machineCsrsFromVsModeAreIllegal() {
        assertIllegal(PrivilegeMode.SUPERVISOR, true, csrrs(A0, MSTATUS, 0));
    }

    @Test
    void hypervisorCsrsFromUModeAreIllegal() {
        assertIllegal(PrivilegeMode.USER, false, csrrs(A0, HSTATUS, 0));
    }

    @Test
    void sretWithVtsrAndFromVuModeAreVirtualInstructions() {
        board.setCsr(HSTATUS, HSTATUS_VTSR);
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, sret());
        board.setCsr(HSTATUS, 0);
        assertVirtualInstruction(PrivilegeMode.USER, sret());
    }

    @Test
    void wfiWithVtwIsAVirtualInstructionButTwWins() {
        board.setCsr(HSTATUS, HSTATUS_VTW);
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, wfi());
        board.setCsr(MSTATUS, STATUS_TW);
        assertIllegal(PrivilegeMode.SUPERVISOR, true, wfi());
        board.setCsr(MSTATUS, 0);
        board.setCsr(HSTATUS, 0);
        assertVirtualInstruction(PrivilegeMode.USER, wfi());
    }

    @Test
    void vtvmTrapsSatpAndSfenceVmaInVsModeOnly() {
        board.setCsr(HSTATUS, HSTATUS_VTVM);
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, csrrs(A0, SATP, 0));
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, sfenceVma(0, 0));
        board.setCsr(HSTATUS, 0);
        board.run(PrivilegeMode.SUPERVISOR, true, sfenceVma(0, 0));
        assertThat(board.hart().pc()).isEqualTo(BASE + 4);
        assertVirtualInstruction(PrivilegeMode.USER, sfenceVma(0, 0));
    }

    @Test
    void hypervisorInstructionsFromVirtualModesAreVirtualInstructions() {
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, hfenceVvma(0, 0));
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, hfenceGvma(0, 0));
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, hlv(3, 0, A0, A1));
        assertVirtualInstruction(PrivilegeMode.USER, hsv(3, A1, A2));
    }

    @Test
    void hfenceGvmaUnderTvmAndHgatpUnderTvmAreIllegalInHsMode() {
        board.setCsr(MSTATUS, STATUS_TVM);
        assertIllegal(PrivilegeMode.SUPERVISOR, false, hfenceGvma(0, 0));
        board.setCsr(MSTATUS, STATUS_TVM);
        assertIllegal(PrivilegeMode.SUPERVISOR, false, csrrs(A0, HGATP, 0));
        board.setCsr(MSTATUS, STATUS_TVM);
        board.run(PrivilegeMode.SUPERVISOR, false, hfenceVvma(0, 0));
        assertThat(board.hart().pc()).as("HFENCE.VVMA ignores TVM").isEqualTo(BASE + 4);
    }

    @Test
    void countersNeedHcounterenInVirtualModes() {
        board.setCsr(MCOUNTEREN, -1L);
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, csrrs(A0, TIME, 0));
        board.setCsr(HCOUNTEREN, -1L);
        assertVirtualInstruction(PrivilegeMode.USER, csrrs(A0, CYCLE, 0));
        board.setCsr(MCOUNTEREN, 0);
        assertIllegal(PrivilegeMode.SUPERVISOR, true, csrrs(A0, TIME, 0));
    }

    @Test
    void stimecmpInVsModeNeedsHenvcfgStce() {
        board.setCsr(MENVCFG, ENVCFG_STCE);
        board.setCsr(MCOUNTEREN, -1L);
        board.setCsr(HCOUNTEREN, -1L);
        assertVirtualInstruction(PrivilegeMode.SUPERVISOR, csrrs(A0, STIMECMP, 0));
        board.setCsr(HENVCFG, ENVCFG_STCE);
        board.setCsr(VSTIMECMP, 1234);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrs(A0, STIMECMP, 0));
        assertThat(board.hart().register(A0)).isEqualTo(1234);
    }

    @Test
    void ecallFromVsModeIsCause10AndCannotBeDelegatedToVs() {
        board.setCsr(MEDELEG, -1L);
        board.setCsr(HEDELEG, -1L);
        board.run(PrivilegeMode.SUPERVISOR, true, ecall());
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.SUPERVISOR_VECTOR);
        assertThat(board.csr(SCAUSE)).isEqualTo(TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR);
        assertThat(board.csr(HSTATUS) & (HSTATUS_SPV | HSTATUS_SPVP)).isEqualTo(HSTATUS_SPV | HSTATUS_SPVP);
        assertThat(board.csr(HSTATUS) & HSTATUS_GVA).as("no address in stval").isZero();
        assertThat(board.hart().virtualMode()).isFalse();
    }

    @Test
    void exceptionsDelegatedThroughHedelegEnterVsModeAndLeaveHsStateAlone() {
        board.setCsr(MEDELEG, 1L << TrapCause.ECALL_FROM_USER);
        board.setCsr(HEDELEG, 1L << TrapCause.ECALL_FROM_USER);
        board.setCsr(VSSTATUS, STATUS_SIE);
        board.run(PrivilegeMode.USER, true, ecall());
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.GUEST_VECTOR);
        assertThat(board.hart().virtualMode()).isTrue();
        assertThat(board.hart().privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(board.csr(VSCAUSE)).isEqualTo(TrapCause.ECALL_FROM_USER);
        assertThat(board.csr(VSEPC)).isEqualTo(BASE);
        assertThat(board.csr(VSSTATUS) & (STATUS_SIE | STATUS_SPIE | STATUS_SPP)).isEqualTo(STATUS_SPIE);
        assertThat(board.csr(SCAUSE)).isZero();
        assertThat(board.csr(SEPC)).isZero();
    }

    @Test
    void hedelegNeedsMedelegToo() {
        board.setCsr(HEDELEG, 1L << TrapCause.ILLEGAL_INSTRUCTION);
        board.run(PrivilegeMode.SUPERVISOR, true, 0);
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.MACHINE_VECTOR);
        assertThat(board.csr(MCAUSE)).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
    }

    @Test
    void sretFromHsModeWithSpvEntersVsOrVuMode() {
        board.setCsr(HSTATUS, HSTATUS_SPV);
        board.setCsr(SEPC, BASE + 0x100);
        board.setCsr(SSTATUS, STATUS_SPP);
        board.run(PrivilegeMode.SUPERVISOR, false, sret());
        assertThat(board.hart().virtualMode()).isTrue();
        assertThat(board.hart().privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(board.hart().pc()).isEqualTo(BASE + 0x100);
        assertThat(board.csr(HSTATUS) & HSTATUS_SPV).isZero();
    }

    @Test
    void sretInVsModeReturnsWithVsstatusAndVsepc() {
        board.setCsr(VSEPC, BASE + 0x200);
        board.setCsr(VSSTATUS, STATUS_SPIE);
        board.run(PrivilegeMode.SUPERVISOR, true, sret());
        assertThat(board.hart().virtualMode()).isTrue();
        assertThat(board.hart().privilege()).isEqualTo(PrivilegeMode.USER);
        assertThat(board.hart().pc()).isEqualTo(BASE + 0x200);
        assertThat(board.csr(VSSTATUS) & (STATUS_SIE | STATUS_SPIE)).isEqualTo(STATUS_SIE | STATUS_SPIE);
    }

    @Test
    void mretWithMpvEntersVirtualMode() {
        board.setCsr(MSTATUS, STATUS_MPV | 1L << STATUS_MPP_SHIFT);
        board.setCsr(MEPC, BASE + 0x100);
        board.run(PrivilegeMode.MACHINE, false, mret());
        assertThat(board.hart().virtualMode()).isTrue();
        assertThat(board.hart().privilege()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(board.csr(MSTATUS) & STATUS_MPV).isZero();
    }

    // ---- interrupts ----

    private void enableGuestInterrupts(long hideleg) {
        board.setCsr(HIDELEG, hideleg);
        board.setCsr(HIE, IP_VSSIP | IP_VSTIP | IP_VSEIP);
        board.setCsr(VSSTATUS, STATUS_SIE);
        board.board().load(BASE, addi(0, 0, 0), addi(0, 0, 0));
    }

    private void runGuest(PrivilegeMode mode, boolean virtual) {
        board.hart().setPc(BASE);
        board.hart().setPrivilege(mode, virtual);
        board.hart().run(1);
    }

    @ParameterizedTest(name = "hvip bit {0} enters VS with cause {0} - 1")
    @ValueSource(ints = {2, 6, 10})
    void delegatedVirtualInterruptsEnterVsModeWithTheSupervisorCode(int bit) {
        enableGuestInterrupts(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        board.setCsr(HVIP, 1L << bit);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.csr(VSCAUSE)).isEqualTo(TrapCause.INTERRUPT_BIT | (bit - 1));
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.GUEST_VECTOR);
        assertThat(board.hart().virtualMode()).isTrue();
    }

    @Test
    void vectoredVstvecUsesTheGuestCode() {
        enableGuestInterrupts(IP_VSTIP);
        board.setCsr(VSTVEC, HypervisorBoard.GUEST_VECTOR | 1);
        board.board().load(HypervisorBoard.GUEST_VECTOR + 4 * 5, jal(0, 0));
        board.setCsr(HVIP, IP_VSTIP);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.GUEST_VECTOR + 4 * 5);
    }

    @Test
    void guestInterruptsWaitForVsstatusSieInVsModeButNotInVuMode() {
        enableGuestInterrupts(IP_VSTIP);
        board.setCsr(VSSTATUS, 0);
        board.setCsr(HVIP, IP_VSTIP);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.hart().pc()).isEqualTo(BASE + 4);
        runGuest(PrivilegeMode.USER, true);
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.GUEST_VECTOR);
    }

    @Test
    void guestInterruptsAreNeverTakenWhileVIsZero() {
        enableGuestInterrupts(IP_VSTIP);
        board.setCsr(HVIP, IP_VSTIP);
        runGuest(PrivilegeMode.USER, false);
        assertThat(board.hart().pc()).isEqualTo(BASE + 4);
    }

    @Test
    void undelegatedVirtualInterruptsGoToHsModeEvenWithSieClearWhileVirtual() {
        enableGuestInterrupts(0);
        board.setCsr(HVIP, IP_VSEIP);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.hart().pc()).isEqualTo(HypervisorBoard.SUPERVISOR_VECTOR);
        assertThat(board.csr(SCAUSE)).isEqualTo(TrapCause.INTERRUPT_BIT | 10);
        assertThat(board.csr(HSTATUS) & HSTATUS_SPV).isEqualTo(HSTATUS_SPV);
    }

    @Test
    void supervisorInterruptsPreemptTheGuestAndFollowTheSpecPriority() {
        enableGuestInterrupts(IP_VSSIP | IP_VSTIP | IP_VSEIP);
        board.setCsr(MIDELEG, IP_SSIP | IP_STIP | IP_SEIP);
        board.setCsr(MIE, board.csr(MIE) | IP_STIP);
        board.setCsr(HVIP, IP_VSSIP | IP_VSTIP | IP_VSEIP);
        board.setCsr(MIP, IP_STIP);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.csr(SCAUSE)).as("HS timer before any VS interrupt").isEqualTo(TrapCause.INTERRUPT_BIT | 5);
        board.setCsr(MIP, 0);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.csr(VSCAUSE)).as("VSEI first").isEqualTo(TrapCause.INTERRUPT_BIT | 9);
        board.setCsr(HVIP, IP_VSSIP | IP_VSTIP);
        board.setCsr(VSSTATUS, STATUS_SIE);
        runGuest(PrivilegeMode.SUPERVISOR, true);
        assertThat(board.csr(VSCAUSE)).as("then VSSI").isEqualTo(TrapCause.INTERRUPT_BIT | 1);
    }

    @Test
    void guestSoftwareInterruptIsClearedThroughSip() {
        enableGuestInterrupts(IP_VSSIP);
        board.setCsr(HVIP, IP_VSSIP);
        board.setCsr(VSSTATUS, 0);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrc(0, SIP, T0));
        board.hart().setRegister(T0, IP_SSIP);
        board.run(PrivilegeMode.SUPERVISOR, true, csrrc(0, SIP, T0));
        assertThat(board.csr(HVIP)).isZero();
    }
}
