package io.vmmlab.paravirt.paging;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;

/**
 * Loads a page-table root into the hart's satp for the paravirtual guest, and counts each load as a TLB flush
 * ({@code paging.tlb-flush}): every root the VMM loads has ASID 0, and the guest's kernel and user views are roots of
 * their own, so on a TLB without tags (what the cost models price as a CR3 reload) each switch empties it. Reloading
 * the current root is also how the VMM answers the guest's flush requests and flushes after it changed a table.
 */
public final class RootLoads {
    private final Counter flushes;

    /**
     * Creates the loader.
     *
     * @param counters where to count
     */
    public RootLoads(Counters counters) {
        this.flushes = counters.counter("paging", "tlb-flush", CostCategory.TLB_FLUSH);
    }

    /**
     * Loads a root.
     *
     * @param hart the hart
     * @param satp the satp value
     */
    public void load(Hart hart, long satp) {
        hart.writeCsr(CsrNumbers.SATP, satp);
        flushes.increment();
    }

    /**
     * Loads the current root again: the hart drops every cached translation.
     *
     * @param hart the hart
     */
    public void reload(Hart hart) {
        load(hart, hart.readCsr(CsrNumbers.SATP));
    }
}
