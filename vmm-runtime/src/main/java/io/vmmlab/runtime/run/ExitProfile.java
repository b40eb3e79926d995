package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.metrics.MachineCounters;

import java.util.ArrayList;
import java.util.EnumMap;
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
 * <p>Each place also keeps the events the VMM counted while it handled that place's entries, by cost category
 * ({@link EntryMeter}): an exit from the run loop's hand-over until the hypervisor returns, a reported entry until
 * the VMM says it {@link #handled} it. A cost model prices them ({@link ExitSite#modeledCycles}), as it prices the run.
 *
 * <p>Filled by the {@link RunLoop} on the thread that drives the harts; read once the run has ended.
 */
public final class ExitProfile implements VmmEntries {
    private static final CostCategory[] CATEGORIES = CostCategory.values();

    private final Map<Site, Place> places = new HashMap<>();
    private final ExitLabels labels = new ExitLabels();
    private final EntryMeter meter = new EntryMeter();
    private long total;

    /**
     * Prices entries by the events counted on these counters from now on: before the hypervisor starts, so that an
     * entry it reports while starting (a bt fault on the way into the guest) is priced too.
     *
     * @param counters the run's counters
     */
    public void meter(MachineCounters counters) {
        meter.readFrom(counters);
    }

    /**
     * Counts one exit, before the hypervisor handles it (which moves the hart on); what is counted until
     * {@link #exitHandled()} is the exit's.
     *
     * @param hypervisor the VMM, which maps the hart's pc back to the guest's
     * @param hart the hart that exited
     * @param exit why
     */
    void record(Hypervisor hypervisor, Hart hart, HartExit exit) {
        meter.closeAll(); // an entry from the slice its VMM did not close ends where the hart came back
        switch (exit) {
            case TRAP -> {
                PendingTrap trap = hart.pendingTrap();
                enter(hypervisor.guestPc(hart, trap.pc()), labels.of(trap, hart, hypervisor));
            }
            case WAIT_FOR_INTERRUPT -> enter(hypervisor.guestPc(hart, hart.pc() - 4), "wfi"); // pc is past the WFI
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> {
                // the run loop's slice ended, or the VMM asked the hart back after an entry counted already
            }
        }
    }

    /** The hypervisor has handled the exit {@link #record(Hypervisor, Hart, HartExit)} counted: closes it. */
    void exitHandled() {
        meter.closeAll();
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
        enter(guestPc, labels.ofCallout(instruction, hart));
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
        enter(guestPc, TrapCause.exceptionName(cause));
    }

    /**
     * Closes the callout or fault reported last.
     *
     * @param hart the hart
     */
    @Override
    public void handled(Hart hart) {
        meter.close();
    }

    /**
     * Counts one entry, with no events of its own.
     *
     * @param pc the guest's address of the instruction
     * @param reason why
     */
    public void record(long pc, String reason) {
        place(pc, reason).count++;
        total++;
    }

    private void enter(long pc, String reason) {
        Place place = place(pc, reason);
        place.count++;
        total++;
        meter.open(place.events);
    }

    private Place place(long pc, String reason) {
        return places.computeIfAbsent(new Site(pc, reason), site -> new Place());
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
        return places.size();
    }

    /**
     * Returns the events counted while the VMM handled entries, summed over every place, by category (those with
     * none left out).
     *
     * @return the events
     */
    public Map<CostCategory, Long> events() {
        long[] sums = new long[CATEGORIES.length];
        for (Place place : places.values()) {
            for (int category = 0; category < sums.length; category++) {
                sums[category] += place.events[category];
            }
        }
        return byCategory(sums);
    }

    /**
     * Prices every entry: the cycles a cost model charges for the events counted while the VMM handled them.
     *
     * @param model the prices
     * @return the modeled cycles of all entries
     */
    public double modeledCycles(CostModel model) {
        double cycles = 0;
        for (Map.Entry<CostCategory, Long> events : events().entrySet()) {
            cycles += events.getValue() * model.cycles(events.getKey());
        }
        return cycles;
    }

    /**
     * Returns the places counted most often, most first (ties by address, then reason).
     *
     * @param limit how many at most
     * @return up to {@code limit} rows
     */
    public List<ExitSite> top(int limit) {
        List<ExitSite> sites = new ArrayList<>(places.size());
        places.forEach((site, place) -> sites.add(new ExitSite(site.pc(), site.reason(), place.count,
                byCategory(place.events))));
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

    private static Map<CostCategory, Long> byCategory(long[] events) {
        Map<CostCategory, Long> map = new EnumMap<>(CostCategory.class);
        for (int category = 0; category < events.length; category++) {
            if (events[category] != 0) {
                map.put(CATEGORIES[category], events[category]);
            }
        }
        return map;
    }

    private record Site(long pc, String reason) {
    }

    /** A place's entries and the events counted while the VMM handled them, by {@link CostCategory#ordinal()}. */
    private static final class Place {
        private final long[] events = new long[CATEGORIES.length];
        private long count;
    }
}
