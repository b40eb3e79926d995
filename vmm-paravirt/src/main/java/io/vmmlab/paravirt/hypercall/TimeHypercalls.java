package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.paravirt.events.VirtualTimer;

import java.util.Map;
import java.util.Objects;

/**
 * Platform time and the one-shot timer.
 */
public final class TimeHypercalls implements HypercallGroup {
    private final TimeSource time;
    private final VirtualTimer timer;

    /**
     * Creates the group.
     *
     * @param time the platform time
     * @param timer the guest's timer
     */
    public TimeHypercalls(TimeSource time, VirtualTimer timer) {
        this.time = Objects.requireNonNull(time, "time is null");
        this.timer = Objects.requireNonNull(timer, "timer is null");
    }

    @Override
    public Map<Hypercall, HypercallHandler> handlers() {
        return Map.of(
                Hypercall.SET_TIMER, (hart, arguments) -> {
                    timer.set(hart, arguments.a0());
                    return HypercallOutcome.ok(0);
                },
                Hypercall.GET_TIME, (hart, arguments) -> HypercallOutcome.ok(time.now()));
    }
}
