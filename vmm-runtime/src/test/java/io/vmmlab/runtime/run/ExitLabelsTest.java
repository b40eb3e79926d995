package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

final class ExitLabelsTest {
    private final ExitLabels labels = new ExitLabels();
    private final Hart hart = mock(Hart.class);
    private final Hypervisor vmm = mock(Hypervisor.class); // names no ecall of its own

    private static PendingTrap exception(int code, long tval) {
        return new PendingTrap(code, tval, 0, 0, 0x8020_0000L, PrivilegeMode.USER, false);
    }

    @Test
    void csrInstructionsAreNamedWithTheirRegister() {
        assertThat(ExitLabels.describe(0x10002573)).isEqualTo("csrrs sstatus"); // csrr a0, sstatus
        assertThat(ExitLabels.describe(0x100177f3)).isEqualTo("csrrci sstatus"); // csrrci a5, sstatus, 2
        assertThat(ExitLabels.describe(0x14029073)).isEqualTo("csrrw sscratch"); // csrw sscratch, t0
        assertThat(ExitLabels.describe(0x18051073)).isEqualTo("csrrw satp"); // csrw satp, a0
        assertThat(ExitLabels.describe(0x7c002573)).isEqualTo("csrrs csr-0x7c0"); // a custom CSR
    }

    @Test
    void otherSystemInstructionsAreNamedByTheirMnemonic() {
        assertThat(ExitLabels.describe(0x10200073)).isEqualTo("sret");
        assertThat(ExitLabels.describe(0x30200073)).isEqualTo("mret");
        assertThat(ExitLabels.describe(0x10500073)).isEqualTo("wfi");
        assertThat(ExitLabels.describe(0x12000073)).isEqualTo("sfence.vma");
        assertThat(ExitLabels.describe(0x12b50073)).isEqualTo("sfence.vma"); // sfence.vma a0, a1
        assertThat(ExitLabels.describe(0x62000073)).isEqualTo("hfence.gvma");
        assertThat(ExitLabels.describe(0x22000073)).isEqualTo("hfence.vvma");
        assertThat(ExitLabels.describe(0x00000073)).isEqualTo("ecall");
        assertThat(ExitLabels.describe(0x0000100f)).isEqualTo("fence.i");
        assertThat(ExitLabels.describe(0x16b50073)).isEqualTo("sinval.vma"); // sinval.vma a0, a1
        assertThat(ExitLabels.describe(0x18000073)).isEqualTo("sfence.w.inval");
        assertThat(ExitLabels.describe(0x18100073)).isEqualTo("sfence.inval.ir");
        assertThat(ExitLabels.describe(0x66000073)).isEqualTo("hinval.gvma");
    }

    @Test
    void hypervisorLoadsAndStoresAreNamedBySizeAndKind() {
        assertThat(ExitLabels.describe(0x6c05c573)).isEqualTo("hlv.d"); // hlv.d a0, (a1)
        assertThat(ExitLabels.describe(0x6015c573)).isEqualTo("hlv.bu");
        assertThat(ExitLabels.describe(0x6435c573)).isEqualTo("hlvx.hu");
        assertThat(ExitLabels.describe(0x6aa5c073)).isEqualTo("hsv.w"); // hsv.w a0, (a1)
        assertThat(ExitLabels.describe(0x6c15c573)).isEqualTo("instruction 0x6c15c573"); // no hlv.du
        assertThat(ExitLabels.describe(0x6aa5c573)).isEqualTo("instruction 0x6aa5c573"); // hsv with rd != 0
    }

    @Test
    void anythingElseIsShownByItsBitsAndNoBitsByNothing() {
        assertThat(ExitLabels.describe(0x00a50533)).isEqualTo("instruction 0x00a50533"); // add
        assertThat(ExitLabels.describe(0x9002)).isEqualTo("instruction 0x9002"); // c.ebreak
        assertThat(ExitLabels.describe(0x10200f73)).isEqualTo("instruction 0x10200f73"); // sret with rd != 0
        assertThat(ExitLabels.describe(0)).isEmpty();
    }

    @Test
    void illegalAndVirtualInstructionTrapsCarryTheInstruction() {
        assertThat(labels.of(exception(TrapCause.ILLEGAL_INSTRUCTION, 0x10002573), hart, vmm))
                .isEqualTo("illegal-instruction: csrrs sstatus");
        assertThat(labels.of(exception(TrapCause.VIRTUAL_INSTRUCTION, 0x10500073), hart, vmm))
                .isEqualTo("virtual-instruction: wfi");
        assertThat(labels.of(exception(TrapCause.ILLEGAL_INSTRUCTION, 0), hart, vmm))
                .isEqualTo("illegal-instruction");
    }

    @Test
    void ecallsCarryA7AndNamedSbiExtensionsOnly() {
        when(hart.register(17)).thenReturn(0x5449_4d45L);
        assertThat(labels.of(exception(TrapCause.ECALL_FROM_SUPERVISOR, 0), hart, vmm))
                .isEqualTo("ecall-from-s a7=0x54494d45 (sbi time)");
        when(hart.register(17)).thenReturn(3L); // a legacy SBI call, or a paravirtual hypercall: not told apart
        assertThat(labels.of(exception(TrapCause.ECALL_FROM_USER, 0), hart, vmm)).isEqualTo("ecall-from-u a7=0x3");
        when(hart.register(17)).thenReturn(0x1234_5678L);
        assertThat(labels.of(exception(TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR, 0), hart, vmm))
                .isEqualTo("ecall-from-vs a7=0x12345678");
    }

    @Test
    void anEcallOfTheVmmsOwnAbiCarriesItsName() {
        Hypervisor paravirtual = mock(Hypervisor.class);
        when(paravirtual.ecallName(0x5056_0004L)).thenReturn(Optional.of("hypercall mmu-update"));
        when(hart.register(17)).thenReturn(0x5056_0004L);

        assertThat(labels.of(exception(TrapCause.ECALL_FROM_USER, 0), hart, paravirtual))
                .isEqualTo("ecall-from-u a7=0x50560004 (hypercall mmu-update)");
        when(hart.register(17)).thenReturn(0x5449_4d45L);
        assertThat(labels.of(exception(TrapCause.ECALL_FROM_USER, 0), hart, paravirtual))
                .isEqualTo("ecall-from-u a7=0x54494d45 (sbi time)");
    }

    @Test
    void faultsAndInterruptsAreNamedByTheirCause() {
        assertThat(labels.of(exception(TrapCause.LOAD_GUEST_PAGE_FAULT, 0x1000_0005L), hart, vmm))
                .isEqualTo("load-guest-page-fault");
        PendingTrap timer = new PendingTrap(TrapCause.INTERRUPT_BIT | TrapCause.SUPERVISOR_TIMER_INTERRUPT, 0, 0, 0,
                0x8020_0000L, PrivilegeMode.SUPERVISOR, false);
        assertThat(labels.of(timer, hart, vmm)).isEqualTo("interrupt: supervisor-timer");
    }

    @Test
    void calloutsCarryTheirInstructionAndAnEcallItsA7() {
        when(hart.register(17)).thenReturn(0x5449_4d45L);

        assertThat(labels.ofCallout(0x100477f3, hart)).isEqualTo("callout: csrrci sstatus");
        assertThat(labels.ofCallout(0x73, hart)).isEqualTo("callout: ecall a7=0x54494d45 (sbi time)");
        assertThat(labels.ofCallout(0, hart)).isEqualTo("callout");
        when(hart.register(17)).thenReturn(1L);
        assertThat(labels.ofCallout(0x73, hart)).isEqualTo("callout: ecall a7=0x1");
    }
}
