package io.vmmlab.devices.rtc;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the board's Goldfish real-time clock. It starts at the host's time (UTC), or, in deterministic mode, at
 * {@link #DETERMINISTIC_START} so that a run reads the same dates every time.
 */
public final class GoldfishRtcProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(GoldfishRtcProvider.class);

    /** The provider name. */
    public static final String NAME = "goldfish-rtc";
    /** Where the clock starts in deterministic mode: 2000-01-01T00:00:00Z. */
    public static final Instant DETERMINISTIC_START = Instant.parse("2000-01-01T00:00:00Z");

    private final Clock host;

    /** The provider ServiceLoader makes: the host's clock. */
    public GoldfishRtcProvider() {
        this(Clock.systemUTC());
    }

    /**
     * Creates the provider with another host clock (tests).
     *
     * @param host where a clock that is not deterministic starts
     */
    GoldfishRtcProvider(Clock host) {
        this.host = host;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Goldfish real-time clock: wall-clock time and an alarm (google,goldfish-rtc)";
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions options = DeviceOptions.of(NAME, spec, Set.of());
        int interruptNumber = options.requireInterrupt(context.interruptNumber());
        Instant start = context.time().deterministic() ? DETERMINISTIC_START : host.instant();
        RtcClock clock = new RtcClock(context.time(), nanos(start));
        log.info("Created {} at {} on interrupt {}, starting at {}", context.instanceName(), context.range(),
                interruptNumber, start);
        return new GoldfishRtc(context.instanceName(), context.range(), interruptNumber, context.interrupt(), clock,
                new MmioAccessCounters(context.counters(), context.instanceName()));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
