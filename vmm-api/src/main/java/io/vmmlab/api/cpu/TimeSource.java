package io.vmmlab.api.cpu;

/**
 * The platform's real-time counter ({@code mtime}), shared by the CLINT and the harts' {@code time} CSR.
 *
 * <p>In deterministic mode the runtime derives it from retired instructions, so the same guest and
 * configuration give the same counters on every run; otherwise it follows the host's monotonic clock.
 */
public interface TimeSource {

    /**
     * Returns the current value of {@code mtime}, in ticks.
     *
     * @return ticks since the machine started
     */
    long now();

    /**
     * Returns the tick rate, as advertised in the device tree's {@code timebase-frequency}.
     *
     * @return ticks per second
     */
    long frequencyHz();

    /**
     * Tells whether this is deterministic mode's clock, derived from retired instructions. Components whose work
     * could otherwise depend on host timing (a CPU engine that compiles code on another thread, say) then do it in
     * step with the guest, so that every counter is the same on every run.
     *
     * @return true in deterministic mode; false (the default) for a clock that follows the host
     */
    default boolean deterministic() {
        return false;
    }
}
