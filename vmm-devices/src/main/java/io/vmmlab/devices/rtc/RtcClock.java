package io.vmmlab.devices.rtc;

import static java.util.Objects.requireNonNull;

import io.vmmlab.api.cpu.TimeSource;

/**
 * The wall clock a real-time clock device shows: nanoseconds since the Unix epoch, advancing with the board's
 * platform time (so it stands still while the machine is held, and follows retired instructions in deterministic
 * mode). Setting it changes only the guest's view, never the host's clock.
 */
final class RtcClock {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TimeSource time;
    /** Wall-clock nanoseconds at platform tick 0. */
    private long epochAtTickZero;

    /**
     * Creates a clock that shows {@code wallClockNanos} now.
     *
     * @param time the platform time
     * @param wallClockNanos what the clock shows at this moment, in nanoseconds since the Unix epoch
     */
    RtcClock(TimeSource time, long wallClockNanos) {
        this.time = requireNonNull(time, "time is null");
        set(wallClockNanos);
    }

    /**
     * Returns the wall-clock time.
     *
     * @return nanoseconds since the Unix epoch (unsigned)
     */
    long nanos() {
        return nanosAt(time.now());
    }

    /** What the clock shows at platform tick {@code tick}. */
    private long nanosAt(long tick) {
        return epochAtTickZero + toNanos(tick);
    }

    /**
     * Sets the wall-clock time, from now on.
     *
     * @param wallClockNanos nanoseconds since the Unix epoch (unsigned)
     */
    void set(long wallClockNanos) {
        epochAtTickZero = wallClockNanos - toNanos(time.now());
    }

    /**
     * Returns the platform tick at which the clock shows {@code wallClockNanos}: now, if it already does or did.
     *
     * @param wallClockNanos nanoseconds since the Unix epoch (unsigned)
     * @return a tick at or after that moment (the first one when the tick rate divides 10^9), never before now;
     *         {@link Long#MAX_VALUE} when beyond the platform time's range
     */
    long tickAt(long wallClockNanos) {
        long now = time.now();
        long shown = nanosAt(now); // one read: a host-driven platform time moves between two
        if (Long.compareUnsigned(wallClockNanos, shown) <= 0) {
            return now;
        }
        long ahead = wallClockNanos - shown;
        if (ahead < 0) {
            return Long.MAX_VALUE; // more than 292 years ahead
        }
        long hz = time.frequencyHz();
        long seconds = ahead / NANOS_PER_SECOND;
        long rest = ahead % NANOS_PER_SECOND;
        if (seconds > (Long.MAX_VALUE - now) / hz - 1) {
            return Long.MAX_VALUE;
        }
        long ticks = seconds * hz + (rest * hz + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return now + ticks;
    }

    /** Platform ticks to nanoseconds, without overflow for any tick count a run reaches (centuries). */
    private long toNanos(long ticks) {
        long hz = time.frequencyHz();
        return ticks / hz * NANOS_PER_SECOND + ticks % hz * NANOS_PER_SECOND / hz;
    }
}
