package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.report.ExitProfileTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

final class ExitProfileTest {
    private final ExitProfile profile = new ExitProfile();

    @Test
    void topListsTheMostFrequentPlacesFirstThenByAddressAndReason() {
        profile.record(0x200, "b");
        profile.record(0x100, "a");
        profile.record(0x200, "a");
        profile.record(0x300, "c");
        profile.record(0x300, "c");
        profile.record(0x100, "a");

        assertThat(profile.total()).isEqualTo(6);
        assertThat(profile.places()).isEqualTo(4);
        assertThat(profile.top(3)).containsExactly(new ExitSite(0x100, "a", 2), new ExitSite(0x300, "c", 2),
                new ExitSite(0x200, "a", 1));
        assertThat(profile.top(10)).hasSize(4);
    }

    @Test
    void kernelAddressesSortAsUnsigned() {
        profile.record(0xffff_ffff_8000_0000L, "x");
        profile.record(0x8000_0000L, "x");

        assertThat(profile.top(2)).extracting(ExitSite::pc).containsExactly(0x8000_0000L, 0xffff_ffff_8000_0000L);
    }

    @Test
    void exitsAreCountedAtTheGuestsAddressButNotASlicesEndOrARequestedExit() {
        Hypervisor translating = mock(Hypervisor.class);
        when(translating.guestPc(any(), anyLong())).thenAnswer(call -> (long) call.getArgument(1) - 0x1000);
        Hart hart = mock(Hart.class);
        when(hart.pendingTrap()).thenReturn(new PendingTrap(TrapCause.ILLEGAL_INSTRUCTION, 0x10500073, 0, 0,
                0x9000, PrivilegeMode.USER, false));
        when(hart.pc()).thenReturn(0x5004L);

        profile.record(translating, hart, HartExit.TRAP);
        profile.record(translating, hart, HartExit.WAIT_FOR_INTERRUPT);
        profile.record(translating, hart, HartExit.EXIT_REQUESTED);
        profile.record(translating, hart, HartExit.BUDGET_EXHAUSTED);

        assertThat(profile.top(5)).containsExactlyInAnyOrder(
                new ExitSite(0x8000, "illegal-instruction: wfi", 1),
                new ExitSite(0x4000, "wfi", 1)); // pc is past the WFI
        assertThat(profile.total()).isEqualTo(2);
    }

    @Test
    void calloutsAreNamedByTheirInstructionAndFaultsByTheirCause() {
        Hart hart = mock(Hart.class);
        profile.callout(hart, 0xffff_ffff_8011_1722L, 0x100477f3); // csrrci a5, sstatus, 8
        profile.callout(hart, 0xffff_ffff_8011_1722L, 0x100477f3);
        profile.fault(hart, 0x4000_0000L, TrapCause.INSTRUCTION_PAGE_FAULT);

        assertThat(profile.top(2)).containsExactly(new ExitSite(0xffff_ffff_8011_1722L, "callout: csrrci sstatus", 2),
                new ExitSite(0x4000_0000L, "instruction-page-fault", 1));
    }

    @Test
    void entriesSumBySymbolAndOutsideEverySymbolAsAQuestionMark() {
        SymbolTable symbols = SymbolTable.of(List.of(new SymbolTable.Symbol("lock", 0x1000, 0x20, true),
                new SymbolTable.Symbol("unlock", 0x2000, 0x20, true)));
        profile.record(0x1006, "illegal-instruction: csrrci sstatus");
        profile.record(0x1010, "load-page-fault");
        profile.record(0x1010, "load-page-fault");
        profile.record(0x2004, "illegal-instruction: csrrs sstatus");
        profile.record(0x2004, "illegal-instruction: csrrs sstatus");
        profile.record(0x9000, "wfi");

        assertThat(ExitProfileTable.byFunction(profile, symbols, 5)).containsExactly(
                new ExitProfileTable.FunctionEntries("lock", 3), new ExitProfileTable.FunctionEntries("unlock", 2),
                new ExitProfileTable.FunctionEntries("?", 1));
        assertThat(ExitProfileTable.format(profile, symbols, 2)).containsPattern("\\s+3\\s+50\\.0%\\s+lock\n")
                .doesNotContain("no symbols");
        assertThat(ExitProfileTable.format(profile, SymbolTable.empty(), 2)).doesNotContain("by function");
    }

    @Test
    void theTableShowsCountsSharesAddressesSymbolsAndReasons() {
        for (int i = 0; i < 3; i++) {
            profile.record(0x8020_0010L, "illegal-instruction: csrrs sstatus");
        }
        profile.record(0x4000_0000L, "ecall-from-u a7=0x3");

        String text = ExitProfileTable.format(profile, SymbolTable.empty(), 1);

        assertThat(text).contains("--- exit profile: 4 entries into the VMM from 2 places; the 1 most frequent; no "
                + "symbols to name the addresses");
        assertThat(text).containsPattern("\\s+3\\s+75\\.0%\\s+0x80200010\\s+\\?\\s+illegal-instruction: csrrs sstatus");
        assertThat(text).doesNotContain("ecall");
    }
}
