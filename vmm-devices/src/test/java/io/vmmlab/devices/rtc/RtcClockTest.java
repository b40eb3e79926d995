package io.vmmlab.devices.rtc;

import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_HIGH;
import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_LOW;
import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_STATUS;
import static io.vmmlab.devices.rtc.GoldfishRtc.IRQ_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alarm's tick under a platform time that follows the host ({@code HostTimeSource}): it moves between two reads
 * of {@link TimeSource#now()}, even inside one call of the device.
 */
final class RtcClockTest {
    private static final long TICKS_PER_SECOND = 10_000_000L;

    /** A host-driven platform time: one tick passes at every read, until the test stops it. */
    private static final class MovingTime implements TimeSource {
        long now;
        long step = 1;

        @Override
        public long now() {
            long value = now;
            now += step;
            return value;
        }

        @Override
        public long frequencyHz() {
            return TICKS_PER_SECOND;
        }
    }

    @Test
    void theTickOfAnAlarmIsOneAtWhichTheClockShowsIt() {
        MovingTime time = new MovingTime();
        RtcClock clock = new RtcClock(time, 0);
        long alarm = 1_000_000L; // 1 ms: 10,000 ticks after the clock showed 0
        long tick = clock.tickAt(alarm);
        time.step = 0;
        time.now = tick;
        assertThat(Long.compareUnsigned(clock.nanos(), alarm)).as("clock at the returned tick %d", tick)
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    void pollReturnsATickAtWhichTheAlarmFires() {
        MovingTime time = new MovingTime();
        DeviceContexts board = new DeviceContexts(1);
        DeviceContext base = board.context("rtc", 0x10_1000L, 0x1000, 11);
        GoldfishRtc rtc = (GoldfishRtc) new GoldfishRtcProvider(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .create(new DeviceContext(base.instanceName(), base.range(), base.interruptNumber(),
                        base.interrupt(), base.memory(), time, base.harts(), base.console(), base.counters(),
                        base.control()), new DeviceSpec("goldfish-rtc", Map.of()));
        long alarm = 1_000_000L + 1_000L; // ~10,000 ticks from start
        rtc.write(ALARM_HIGH, 4, 0);
        rtc.write(ALARM_LOW, 4, alarm);
        rtc.write(IRQ_ENABLED, 4, 1);
        long tick = rtc.poll(time.now);
        time.step = 0;
        time.now = tick;
        rtc.poll(tick);
        assertThat(rtc.read(ALARM_STATUS, 4)).as("alarm still armed at the tick poll returned, %d", tick).isZero();
        assertThat(board.interrupt.isRaised()).isTrue();
    }
}
