package io.vmmlab.paravirt.events;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.MmioBus;

import java.util.Objects;

/**
 * The guest's one-shot timer. The VMM programs the real CLINT's {@code mtimecmp} of the hart with the guest's
 * deadline and enables the machine timer interrupt; as nothing is delegated, the interrupt exits to the VMM,
 * which turns it into a pending timer event. This also makes a running guest exit periodically, so events are
 * checked even when the guest never calls the VMM.
 */
public final class VirtualTimer {
    /** mie.MTIE. */
    public static final long MIE_MTIE = 1L << 7;

    private final MmioBus mmio;
    private final EventChannel events;

    /**
     * Creates the timer.
     *
     * @param mmio the board's bus, where the CLINT is
     * @param events where the timer event goes
     */
    public VirtualTimer(MmioBus mmio, EventChannel events) {
        this.mmio = Objects.requireNonNull(mmio, "mmio is null");
        this.events = Objects.requireNonNull(events, "events is null");
    }

    /**
     * Arms the timer; clears a timer event that is pending but not delivered.
     *
     * @param hart the guest's hart
     * @param deadline platform time of the event
     */
    public void set(Hart hart, long deadline) {
        events.clear(EventChannel.TIMER);
        if (mmio.isMapped(ClintRegisters.mtimecmp(0))) {
            mmio.hostWrite(ClintRegisters.mtimecmp(hart.hartId()), 8, deadline);
        }
        hart.writeCsr(CsrNumbers.MIE, hart.readCsr(CsrNumbers.MIE) | MIE_MTIE);
    }

    /**
     * The machine timer interrupt exited to the VMM: the deadline passed.
     *
     * @param hart the guest's hart
     */
    public void fired(Hart hart) {
        hart.writeCsr(CsrNumbers.MIE, hart.readCsr(CsrNumbers.MIE) & ~MIE_MTIE);
        events.raise(EventChannel.TIMER);
    }
}
