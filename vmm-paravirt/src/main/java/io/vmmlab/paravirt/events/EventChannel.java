package io.vmmlab.paravirt.events;

import io.vmmlab.api.cpu.TrapCause;

import java.util.Objects;

/**
 * The guest's pending events. The VMM keeps the truth here and mirrors it into the shared page's
 * {@code events_pending} on every change and at every exit; a guest store to that field has no effect. Event
 * numbers are the RISC-V supervisor interrupt codes, so a delivered event's cause is {@code 1 << 63 | event}.
 */
public final class EventChannel {
    /** The virtual timer fired. */
    public static final int TIMER = TrapCause.SUPERVISOR_TIMER_INTERRUPT;
    /** A device interrupt is waiting at the interrupt controller. */
    public static final int EXTERNAL = TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT;

    private final SharedInfoPage sharedPage;
    private long pending;

    /**
     * Creates the channel with nothing pending.
     *
     * @param sharedPage where the pending bits are mirrored
     */
    public EventChannel(SharedInfoPage sharedPage) {
        this.sharedPage = Objects.requireNonNull(sharedPage, "sharedPage is null");
    }

    /**
     * Marks an event pending.
     *
     * @param event {@link #TIMER} or {@link #EXTERNAL}
     */
    public void raise(int event) {
        pending |= 1L << event;
        sharedPage.write(SharedInfoPage.EVENTS_PENDING, pending);
    }

    /**
     * Clears a pending event.
     *
     * @param event {@link #TIMER} or {@link #EXTERNAL}
     */
    public void clear(int event) {
        pending &= ~(1L << event);
        sharedPage.write(SharedInfoPage.EVENTS_PENDING, pending);
    }

    /**
     * Tells whether any event is pending.
     *
     * @return true when one is
     */
    public boolean anyPending() {
        return pending != 0;
    }

    /**
     * Takes the event to deliver next, device interrupts first (as the Privileged spec orders SEI before STI).
     *
     * @return the event, cleared, or -1 when none is pending
     */
    public int takeNext() {
        int event = (pending & 1L << EXTERNAL) != 0 ? EXTERNAL : (pending & 1L << TIMER) != 0 ? TIMER : -1;
        if (event >= 0) {
            clear(event);
        }
        return event;
    }

    /** Writes the pending bits into the shared page again: when it is registered, and at every exit. */
    public void mirror() {
        sharedPage.write(SharedInfoPage.EVENTS_PENDING, pending);
    }
}
