package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmmEntries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a guest entered its VMM: every exit a hart hands to the hypervisor, counted by the guest instruction it came
 * from and its reason ({@link ExitLabels}), in the manner of {@code perf kvm stat} by guest address; and the entries
 * a hypervisor makes without an exit (binary translation's callouts and the faults it delivers from them, without
 * leaving the hart), which it reports through {@link VmmEntries}. Not counted: a slice's end (the run loop's own
 * preemption) and an exit a VMM requested (after an entry already counted, such as bt's WFI callout, or to stop).
 *
 * <p>Filled by the {@link RunLoop} on the thread that drives the harts; read once the run has ended.
 */
public final class ExitProfile implements VmmEntries {
    private final Map<Site, long[]> counts = new HashMap<>();
    private final ExitLabels labels = new ExitLabels();
    private long total;

    /**
     * Counts one exit, before the hypervisor handles it (which moves the hart on).
     *
     * @param hypervisor the VMM, which maps the hart's pc back to the guest's
     * @param hart the hart that exited
     * @param exit why
     */
    void record(Hypervisor hypervisor, Hart hart, HartExit exit) {
        switch (exit) {
            case TRAP -> {
                PendingTrap trap = hart.pendingTrap();
                record(hypervisor.guestPc(hart, trap.pc()), labels.of(trap, hart, hypervisor));
            }
            case WAIT_FOR_INTERRUPT -> record(hypervisor.guestPc(hart, hart.pc() - 4), "wfi"); // pc is past the WFI
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> {
                // the run loop's slice ended, or the VMM asked the hart back after an entry counted already
            }
        }
    }

    /**
     * Counts a callout from translated code, labelled with its instruction (an ecall with its a7).
     *
     * @param hart the hart, whose registers are the instruction's operands
     * @param guestPc the guest's address of the instruction
     * @param instruction its bits
     */
    @Override
    public void callout(Hart hart, long guestPc, int instruction) {
        record(guestPc, labels.ofCallout(instruction, hart));
    }

    /**
     * Counts a fault the VMM delivered without an exit, labelled with its cause as a trap exit would be.
     *
     * @param hart the hart
     * @param guestPc the guest's address the fault belongs to
     * @param cause the exception code
     */
    @Override
    public void fault(Hart hart, long guestPc, int cause) {
        record(guestPc, TrapCause.exceptionName(cause));
    }

    /**
     * Counts one entry.
     *
     * @param pc the guest's address of the instruction
     * @param reason why
     */
    public void record(long pc, String reason) {
        counts.computeIfAbsent(new Site(pc, reason), site -> new long[1])[0]++;
        total++;
    }

    /**
     * Returns how many entries were counted.
     *
     * @return the total
     */
    public long total() {
        return total;
    }

    /**
     * Returns how many distinct places (an instruction and a reason) were counted.
     *
     * @return the number of places
     */
    public int places() {
        return counts.size();
    }

    /**
     * Returns the places counted most often, most first (ties by address, then reason).
     *
     * @param limit how many at most
     * @return up to {@code limit} rows
     */
    public List<ExitSite> top(int limit) {
        List<ExitSite> sites = new ArrayList<>(counts.size());
        counts.forEach((site, count) -> sites.add(new ExitSite(site.pc(), site.reason(), count[0])));
        sites.sort(ExitProfile::mostFirst);
        return List.copyOf(sites.subList(0, Math.min(Math.max(limit, 0), sites.size())));
    }

    private static int mostFirst(ExitSite a, ExitSite b) {
        int byCount = Long.compare(b.count(), a.count());
        if (byCount != 0) {
            return byCount;
        }
        int byPc = Long.compareUnsigned(a.pc(), b.pc());
        return byPc != 0 ? byPc : a.reason().compareTo(b.reason());
    }

    private record Site(long pc, String reason) {
    }
}
