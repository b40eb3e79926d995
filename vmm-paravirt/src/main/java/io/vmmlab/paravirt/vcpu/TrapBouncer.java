package io.vmmlab.paravirt.vcpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.paravirt.events.EventChannel;
import io.vmmlab.paravirt.events.SharedInfoPage;

import java.util.Objects;

/**
 * Delivers a trap or an event to the guest kernel's registered vector, as the hardware would deliver a trap to
 * S-mode (PV-ABI.md, "Trap and event delivery"): writes epc, cause and tval into the shared page, swaps sp with
 * the shared page's scratch field (the virtual {@code csrrw sp, sscratch, sp}), masks events, enters virtual
 * kernel mode with the kernel view of the address space, and jumps to the vector.
 */
public final class TrapBouncer {
    private static final int SP = 2;

    private final VirtualCpu cpu;
    private final SharedInfoPage sharedPage;
    private final EventChannel events;

    /**
     * Creates the bouncer.
     *
     * @param cpu the virtual CPU
     * @param sharedPage the shared page
     * @param events the pending events
     */
    public TrapBouncer(VirtualCpu cpu, SharedInfoPage sharedPage, EventChannel events) {
        this.cpu = Objects.requireNonNull(cpu, "cpu is null");
        this.sharedPage = Objects.requireNonNull(sharedPage, "sharedPage is null");
        this.events = Objects.requireNonNull(events, "events is null");
    }

    /**
     * Tells whether the guest can take a trap: it registered a shared page and a vector.
     *
     * @return true when bouncing is possible
     */
    public boolean ready() {
        return sharedPage.isRegistered() && cpu.trapVector() != 0;
    }

    /**
     * Bounces a trap to the guest kernel.
     *
     * @param hart the hart
     * @param cause the scause value
     * @param tval the stval value
     * @param epc where the trap happened (or where to resume, for events)
     */
    public void bounce(Hart hart, long cause, long tval, long epc) {
        sharedPage.write(SharedInfoPage.TRAP_EPC, epc);
        sharedPage.write(SharedInfoPage.TRAP_CAUSE, cause);
        sharedPage.write(SharedInfoPage.TRAP_TVAL, tval);
        long scratch = sharedPage.read(SharedInfoPage.SCRATCH);
        sharedPage.write(SharedInfoPage.SCRATCH, hart.register(SP));
        hart.setRegister(SP, scratch);
        sharedPage.write(SharedInfoPage.EVENTS_MASK, 1);
        cpu.enterKernel(hart);
        hart.setPc(cpu.trapVector());
        hart.clearReservation(); // as a trap taken by the hart
    }

    /**
     * Delivers the next pending event if the guest can take it now (events unmasked, vector registered).
     *
     * @param hart the hart
     * @param epc where the guest's handler returns to with IRET: the interrupted pc, or past a BLOCK the event ends
     * @return the event delivered, or -1
     */
    public int deliverPendingEvent(Hart hart, long epc) {
        if (!canDeliver()) {
            return -1;
        }
        int event = events.takeNext();
        bounce(hart, 1L << 63 | event, 0, epc);
        return event;
    }

    /**
     * Tells whether an event is pending that the guest can take now (events unmasked, vector registered).
     *
     * @return true when {@link #deliverPendingEvent} would deliver one
     */
    public boolean canDeliver() {
        return events.anyPending() && ready() && !sharedPage.eventsMasked();
    }
}
