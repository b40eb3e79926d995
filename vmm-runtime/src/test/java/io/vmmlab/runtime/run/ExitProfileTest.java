package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.metrics.MachineCounters;
import io.vmmlab.runtime.report.JsonReport;
import io.vmmlab.runtime.run.RunResult;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.report.ExitProfileOrder;
import io.vmmlab.runtime.report.ExitProfileTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

final class ExitProfileTest {
    private static final CostModel UNPRICED = new CostModel("unpriced", "none", Map.of());
    private static final CounterSnapshot NO_COUNTERS = new CounterSnapshot(Map.of());
    private static final CostModel PRICES = new CostModel("test-prices", "made up", Map.of(
            CostCategory.INSTRUCTION, 1.0, CostCategory.PAGE_WALK, 2.0, CostCategory.TRAP_ROUND_TRIP, 100.0,
            CostCategory.CALLOUT, 1000.0, CostCategory.MMIO_EMULATION, 10.0, CostCategory.TLB_FLUSH, 50.0));
    private static final int CSRRCI_SSTATUS = 0x100477f3;

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

        assertThat(ExitProfileTable.byFunction(profile, symbols, 5, UNPRICED)).containsExactly(
                new ExitProfileTable.FunctionEntries("lock", 3, 0), new ExitProfileTable.FunctionEntries("unlock", 2, 0),
                new ExitProfileTable.FunctionEntries("?", 1, 0));
        assertThat(ExitProfileTable.format(profile, symbols, 2, UNPRICED, NO_COUNTERS))
                .containsPattern("\\s+3\\s+50\\.0%\\s+0\\s+-\\s+lock\n").doesNotContain("no symbols");
        assertThat(ExitProfileTable.format(profile, SymbolTable.empty(), 2, UNPRICED, NO_COUNTERS))
                .doesNotContain("by function");
    }

    @Test
    void theTableShowsCountsSharesAddressesSymbolsAndReasons() {
        for (int i = 0; i < 3; i++) {
            profile.record(0x8020_0010L, "illegal-instruction: csrrs sstatus");
        }
        profile.record(0x4000_0000L, "ecall-from-u a7=0x3");

        String text = ExitProfileTable.format(profile, SymbolTable.empty(), 1, UNPRICED, NO_COUNTERS);

        assertThat(text).contains("--- exit profile: 4 entries into the VMM from 2 places; the 1 most frequent; no "
                + "symbols to name the addresses");
        assertThat(text).contains("    modeled cycles (unpriced): the entries' 0 of the run's 0 (-)\n"
                + "    the run's cycles at no place: none\n");
        assertThat(text).containsPattern(
                "\\s+3\\s+75\\.0%\\s+0\\s+-\\s+0x80200010\\s+\\?\\s+illegal-instruction: csrrs sstatus");
        assertThat(text).doesNotContain("ecall");
    }

    /**
     * A place keeps what the VMM counted while it handled the place's entries: from a reported entry to its
     * {@code handled}, from an exit to the loop's {@code exitHandled}; an entry reported inside another (bt's fault on
     * resuming) keeps its own, and the outer one goes on after it. Not the hart's instructions, nor what was counted
     * between entries.
     */
    @Test
    void eachPlaceKeepsTheEventsCountedWhileTheVmmHandledItsEntries() {
        Metered run = new Metered(profile);

        run.walks.add(5); // the hart's, before any entry
        profile.callout(run.hart, 0x100, CSRRCI_SSTATUS);
        run.callouts.increment();
        run.mmio.increment();
        run.instructions.increment(); // guest instructions are never an entry's
        profile.handled(run.hart);
        run.walks.add(7); // between entries
        profile.record(run.hypervisor, run.hart, HartExit.TRAP); // load-page-fault at 0x200
        run.traps.increment();
        run.fills.add(2);
        profile.fault(run.hart, 0x300, TrapCause.INSTRUCTION_PAGE_FAULT);
        run.traps.increment();
        profile.handled(run.hart);
        run.flushes.increment(); // the exit's again, after the nested fault
        profile.exitHandled();
        run.mmio.add(4); // after every entry
        profile.record(run.hypervisor, run.hart, HartExit.WAIT_FOR_INTERRUPT); // natively: counted nowhere, so free
        profile.exitHandled();

        assertThat(profile.top(4)).containsExactly(
                new ExitSite(0x100, "callout: csrrci sstatus", 1,
                        Map.of(CostCategory.CALLOUT, 1L, CostCategory.MMIO_EMULATION, 1L)),
                new ExitSite(0x200, "load-page-fault", 1, Map.of(CostCategory.TRAP_ROUND_TRIP, 1L,
                        CostCategory.PAGE_WALK, 2L, CostCategory.TLB_FLUSH, 1L)),
                new ExitSite(0x300, "instruction-page-fault", 1, Map.of(CostCategory.TRAP_ROUND_TRIP, 1L)),
                new ExitSite(0x4ffc, "wfi", 1));
        assertThat(profile.top(4)).extracting(site -> site.modeledCycles(PRICES))
                .containsExactly(1010.0, 154.0, 100.0, 0.0);
        assertThat(profile.modeledCycles(PRICES)).isEqualTo(1264.0);
        assertThat(profile.events()).isEqualTo(Map.of(CostCategory.CALLOUT, 1L, CostCategory.MMIO_EMULATION, 1L,
                CostCategory.TRAP_ROUND_TRIP, 2L, CostCategory.PAGE_WALK, 2L, CostCategory.TLB_FLUSH, 1L));
    }

    /** bt's translations and jump lookups belong to the code the guest reaches, never to the entry that reached it. */
    @Test
    void translationsAndJumpLookupsAreNoEntrysEvenInsideOne() {
        Metered run = new Metered(profile);

        profile.callout(run.hart, 0x100, CSRRCI_SSTATUS);
        run.callouts.increment();
        run.translations.increment(); // the block bt resumes at, translated on the way back
        run.jumps.add(3);
        profile.handled(run.hart);

        assertThat(profile.top(1)).containsExactly(new ExitSite(0x100, "callout: csrrci sstatus", 1,
                Map.of(CostCategory.CALLOUT, 1L)));
        assertThat(profile.events()).isEqualTo(Map.of(CostCategory.CALLOUT, 1L));
    }

    /** A callout its VMM never closed ends where the hart comes back to the run loop, with what was counted until then. */
    @Test
    void anEntryNeverHandledEndsWhereTheHartReturnsToTheLoop() {
        Metered run = new Metered(profile);

        profile.callout(run.hart, 0x100, CSRRCI_SSTATUS);
        run.callouts.increment();
        profile.record(run.hypervisor, run.hart, HartExit.BUDGET_EXHAUSTED);
        run.callouts.increment(); // not in any entry
        profile.handled(run.hart); // nothing open: ignored
        profile.exitHandled();

        assertThat(profile.top(1)).containsExactly(new ExitSite(0x100, "callout: csrrci sstatus", 1,
                Map.of(CostCategory.CALLOUT, 1L)));
    }

    /**
     * The table prices each place and function with the run's cost model, gives each its share of the run's modeled
     * cycles, and says how many of those the entries hold and which categories' cycles no place holds.
     */
    @Test
    void theTablePricesPlacesAndFunctionsWithTheRunsCostModel() {
        Metered run = new Metered(profile);
        run.instructions.add(10_000);
        run.walks.add(500);
        for (int i = 0; i < 3; i++) {
            profile.callout(run.hart, 0x1006, CSRRCI_SSTATUS);
            run.callouts.increment();
            profile.handled(run.hart);
        }
        profile.record(run.hypervisor, run.hart, HartExit.TRAP); // load-page-fault at 0x200
        run.traps.increment();
        run.mmio.increment();
        profile.exitHandled();
        SymbolTable symbols = SymbolTable.of(List.of(new SymbolTable.Symbol("lock", 0x1000, 0x20, true)));
        // run: 10,000 instructions + 500 walks x 2 + 3 callouts x 1,000 + 1 trap x 100 + 1 mmio x 10 = 14,110

        String text = ExitProfileTable.format(profile, symbols, 5, PRICES, run.counters.snapshot());

        assertThat(text).contains("--- exit profile: 4 entries into the VMM from 2 places\n"
                + "    modeled cycles (test-prices): the entries' 3,110 of the run's 14,110 (22.0%)\n"
                + "    the run's cycles at no place: instruction 10,000, page_walk 1,000\n");
        assertThat(text).containsPattern("entries\\s+share\\s+cycles\\s+of run\\s+guest pc\\s+where\\s+reason\n"
                + "\\s+3\\s+75\\.0%\\s+3,000\\s+21\\.3%\\s+0x1006\\s+lock\\+0x6\\s+callout: csrrci sstatus\n"
                + "\\s+1\\s+25\\.0%\\s+110\\s+0\\.8%\\s+0x200\\s+\\?\\s+load-page-fault\n");
        assertThat(text).containsPattern("entries\\s+share\\s+cycles\\s+of run\\s+by function\n"
                + "\\s+3\\s+75\\.0%\\s+3,000\\s+21\\.3%\\s+lock\n"
                + "\\s+1\\s+25\\.0%\\s+110\\s+0\\.8%\\s+\\?\n");
        assertThat(ExitProfileTable.byFunction(profile, symbols, 1, PRICES))
                .containsExactly(new ExitProfileTable.FunctionEntries("lock", 3, 3000));
    }

    /**
     * Ordered by cycles, the costliest place comes first even with fewer entries (one device access against two
     * trapped CSR accesses), in the table, its functions and the report.
     */
    @Test
    void placesAndFunctionsMayComeCostliestFirst() {
        Metered run = new Metered(profile);
        for (int i = 0; i < 2; i++) {
            profile.callout(run.hart, 0x1006, CSRRCI_SSTATUS); // 2 x 1,000
            run.callouts.increment();
            profile.handled(run.hart);
        }
        profile.record(run.hypervisor, run.hart, HartExit.TRAP); // load-page-fault at 0x200: 100 + 300 x 10
        run.traps.increment();
        run.mmio.add(300);
        profile.exitHandled();
        SymbolTable symbols = SymbolTable.of(List.of(new SymbolTable.Symbol("lock", 0x1000, 0x20, true),
                new SymbolTable.Symbol("uart_out", 0x200, 0x10, true)));

        assertThat(ExitProfileOrder.ENTRIES.places(profile, 1, PRICES)).extracting(ExitSite::pc)
                .containsExactly(0x1006L);
        assertThat(ExitProfileOrder.CYCLES.places(profile, 1, PRICES)).extracting(ExitSite::pc)
                .containsExactly(0x200L);
        assertThat(ExitProfileTable.byFunction(profile, symbols, 2, PRICES, ExitProfileOrder.CYCLES))
                .extracting(ExitProfileTable.FunctionEntries::name).containsExactly("uart_out", "lock");
        String text = ExitProfileTable.format(profile, symbols, 1, PRICES, run.counters.snapshot(),
                ExitProfileOrder.CYCLES);
        assertThat(text).contains("from 2 places; the 1 costliest\n").containsPattern(
                "\\s+1\\s+33\\.3%\\s+3,100\\s+[0-9.]+%\\s+0x200\\s+uart_out\\s+load-page-fault\n");
        RunResult result = new RunResult("hwassist", new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"),
                0, 1, run.counters.snapshot());
        assertThat(JsonReport.format(result, PRICES, profile, symbols, 1, ExitProfileOrder.CYCLES))
                .contains("\"order\": \"cycles\", \"sites\": [").contains("\"pc\": \"0x200\"")
                .doesNotContain("0x1006");
        assertThat(ExitProfileOrder.parse(" Cycles ")).isEqualTo(ExitProfileOrder.CYCLES);
        assertThatThrownBy(() -> ExitProfileOrder.parse("time")).hasMessage("--exit-profile-order takes entries or "
                + "cycles, not 'time'");
    }

    /** The report's rows carry the same modeled cycles, and the profile its entries' total. */
    @Test
    void theReportsRowsCarryTheirModeledCycles() {
        Metered run = new Metered(profile);
        run.instructions.add(1_000);
        profile.callout(run.hart, 0x1006, CSRRCI_SSTATUS);
        run.callouts.increment();
        run.mmio.add(2);
        profile.handled(run.hart);
        SymbolTable symbols = SymbolTable.of(List.of(new SymbolTable.Symbol("lock", 0x1000, 0x20, true)));
        RunResult result = new RunResult("fullvirt/bt", new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "done"),
                1_000, 1, run.counters.snapshot());

        String json = JsonReport.format(result, PRICES, profile, symbols, 5);

        assertThat(json).contains("\"modeledCycles\": 2020,\n")
                .contains("\"exitProfile\": {\"entries\": 1, \"places\": 1, \"modeledCycles\": 1020, \"order\": "
                        + "\"entries\", \"sites\": ")
                .contains("{\"pc\": \"0x1006\", \"symbol\": \"lock+0x6\", \"reason\": \"callout: csrrci sstatus\", "
                        + "\"count\": 1, \"modeledCycles\": 1020}")
                .contains("{\"symbol\": \"lock\", \"count\": 1, \"modeledCycles\": 1020}");
    }

    /** A profile metered on a run's counters, with a hart and hypervisor whose exit is a load page fault at 0x200. */
    private static final class Metered {
        private final MachineCounters counters = new MachineCounters();
        private final Counter instructions = counters.counter("hart", "instructions", CostCategory.INSTRUCTION);
        private final Counter walks = counters.counter("mmu", "walk", CostCategory.PAGE_WALK);
        private final Counter fills = counters.counter("shadow", "fault-fill", CostCategory.PAGE_WALK);
        private final Counter flushes = counters.counter("shadow", "tlb-flush", CostCategory.TLB_FLUSH);
        private final Counter traps = counters.counter("reflect", "load-page-fault", CostCategory.TRAP_ROUND_TRIP);
        private final Counter callouts = counters.counter("callout", "csrrci-sstatus", CostCategory.CALLOUT);
        private final Counter mmio = counters.counter("mmio", "uart-write", CostCategory.MMIO_EMULATION);
        private final Counter translations = counters.counter("bt", "block-translated", CostCategory.TRANSLATION);
        private final Counter jumps = counters.counter("bt", "jump-lookup", CostCategory.TRANSLATED_JUMP);
        private final Hart hart = mock(Hart.class);
        private final Hypervisor hypervisor = mock(Hypervisor.class);

        Metered(ExitProfile profile) {
            profile.meter(counters);
            when(hypervisor.guestPc(any(), anyLong())).thenAnswer(call -> call.getArgument(1));
            when(hart.pendingTrap()).thenReturn(new PendingTrap(TrapCause.LOAD_PAGE_FAULT, 0x5000, 0, 0, 0x200,
                    PrivilegeMode.SUPERVISOR, false));
            when(hart.pc()).thenReturn(0x5000L); // past a WFI at 0x4ffc
        }
    }
}
