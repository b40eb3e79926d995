package io.vmmlab.devices.rtc;

import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_HIGH;
import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_LOW;
import static io.vmmlab.devices.rtc.GoldfishRtc.ALARM_STATUS;
import static io.vmmlab.devices.rtc.GoldfishRtc.CLEAR_ALARM;
import static io.vmmlab.devices.rtc.GoldfishRtc.CLEAR_INTERRUPT;
import static io.vmmlab.devices.rtc.GoldfishRtc.IRQ_ENABLED;
import static io.vmmlab.devices.rtc.GoldfishRtc.TIME_HIGH;
import static io.vmmlab.devices.rtc.GoldfishRtc.TIME_LOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.RecordingDeviceTreeWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class GoldfishRtcTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TICKS_PER_SECOND = 10_000_000L;
    private static final Instant HOST_NOW = Instant.parse("2026-11-29T10:00:00.5Z");
    private static final long HOST_NOW_NANOS = HOST_NOW.getEpochSecond() * SECOND + HOST_NOW.getNano();

    private final DeviceContexts board = new DeviceContexts(1);
    private final GoldfishRtc rtc = create(board.context("rtc", 0x10_1000L, 0x1000, 11));

    private static GoldfishRtc create(DeviceContext context) {
        return (GoldfishRtc) new GoldfishRtcProvider(Clock.fixed(HOST_NOW, ZoneOffset.UTC))
                .create(context, new DeviceSpec("goldfish-rtc", Map.of()));
    }

    private long readTime() {
        long low = rtc.read(TIME_LOW, 4);
        return rtc.read(TIME_HIGH, 4) << 32 | low;
    }

    @Test
    void startsAtTheHostsTimeAndFollowsThePlatformTime() {
        assertThat(readTime()).isEqualTo(HOST_NOW_NANOS);
        board.time.set(15 * TICKS_PER_SECOND / 10);
        assertThat(readTime()).isEqualTo(HOST_NOW_NANOS + 1_500_000_000L);
        assertThat(board.counters.snapshot().get("mmio", "rtc-read")).isEqualTo(4);
    }

    @Test
    void readingTheLowHalfLatchesTheHighHalf() {
        long toCarry = (1L << 32) - (HOST_NOW_NANOS & 0xffff_ffffL); // nanoseconds until the low half wraps
        board.time.set((toCarry - 100) / 100);
        long low = rtc.read(TIME_LOW, 4);
        board.time.set((toCarry + 1000) / 100);
        assertThat(rtc.read(TIME_HIGH, 4)).isEqualTo(HOST_NOW_NANOS >>> 32);
        assertThat(low).isGreaterThan(0xffff_0000L);
        assertThat(readTime() >>> 32).isEqualTo((HOST_NOW_NANOS >>> 32) + 1);
    }

    @Test
    void theGuestSetsTheTimeHighHalfFirstAndItGoesOnFromThere() {
        long set = Instant.parse("2030-01-02T03:04:05Z").getEpochSecond() * SECOND;
        board.time.set(7 * TICKS_PER_SECOND);
        rtc.write(TIME_HIGH, 4, set >>> 32);
        rtc.write(TIME_LOW, 4, set & 0xffff_ffffL);
        assertThat(readTime()).isEqualTo(set);
        board.time.set(9 * TICKS_PER_SECOND);
        assertThat(readTime()).isEqualTo(set + 2 * SECOND);
        rtc.reset(); // a battery-backed clock keeps its time across a machine reset
        assertThat(readTime()).isEqualTo(set + 2 * SECOND);
    }

    @Test
    void anAlarmRaisesTheInterruptWhenTheClockReachesIt() {
        long alarm = HOST_NOW_NANOS + 2 * SECOND;
        rtc.write(ALARM_HIGH, 4, alarm >>> 32);
        rtc.write(ALARM_LOW, 4, alarm & 0xffff_ffffL);
        rtc.write(IRQ_ENABLED, 4, 1);
        assertThat(rtc.read(ALARM_STATUS, 4)).isEqualTo(1);
        assertThat(rtc.read(ALARM_HIGH, 4) << 32 | rtc.read(ALARM_LOW, 4)).isEqualTo(alarm);
        assertThat(rtc.poll(0)).isEqualTo(2 * TICKS_PER_SECOND);
        assertThat(board.interrupt.isRaised()).isFalse();

        board.time.set(2 * TICKS_PER_SECOND - 1);
        assertThat(rtc.poll(2 * TICKS_PER_SECOND - 1)).isEqualTo(2 * TICKS_PER_SECOND);
        assertThat(board.interrupt.isRaised()).isFalse();
        board.time.set(2 * TICKS_PER_SECOND);
        assertThat(rtc.poll(2 * TICKS_PER_SECOND)).isEqualTo(Long.MAX_VALUE);
        assertThat(board.interrupt.isRaised()).isTrue();
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();

        rtc.write(CLEAR_INTERRUPT, 4, 1);
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void anAlarmThatHasPassedFiresAtOnceButTheLineWaitsForTheEnable() {
        rtc.write(ALARM_HIGH, 4, HOST_NOW_NANOS >>> 32);
        rtc.write(ALARM_LOW, 4, 0);
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();
        assertThat(board.interrupt.isRaised()).isFalse();
        rtc.write(IRQ_ENABLED, 4, 1);
        assertThat(rtc.read(IRQ_ENABLED, 4)).isEqualTo(1);
        assertThat(board.interrupt.isRaised()).isTrue();
        rtc.write(IRQ_ENABLED, 4, 0);
        assertThat(board.interrupt.isRaised()).isFalse();
    }

    @Test
    void aClearedAlarmNeverFires() {
        long alarm = HOST_NOW_NANOS + SECOND;
        rtc.write(ALARM_HIGH, 4, alarm >>> 32);
        rtc.write(ALARM_LOW, 4, alarm & 0xffff_ffffL);
        rtc.write(IRQ_ENABLED, 4, 1);
        rtc.write(CLEAR_ALARM, 4, 1);
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();
        board.time.set(5 * TICKS_PER_SECOND);
        assertThat(rtc.poll(5 * TICKS_PER_SECOND)).isEqualTo(Long.MAX_VALUE);
        assertThat(board.interrupt.history()).doesNotContain(true);
    }

    @Test
    void anAlarmCenturiesAheadIsNeverDue() {
        rtc.write(ALARM_HIGH, 4, 0xffff_ffffL);
        rtc.write(ALARM_LOW, 4, 0);
        assertThat(rtc.read(ALARM_STATUS, 4)).isEqualTo(1);
        assertThat(rtc.poll(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void settingTheTimeMovesAnArmedAlarmsTick() {
        long alarm = HOST_NOW_NANOS + 10 * SECOND;
        rtc.write(ALARM_HIGH, 4, alarm >>> 32);
        rtc.write(ALARM_LOW, 4, alarm & 0xffff_ffffL);
        long later = HOST_NOW_NANOS + 9 * SECOND;
        rtc.write(TIME_HIGH, 4, later >>> 32);
        rtc.write(TIME_LOW, 4, later & 0xffff_ffffL);
        assertThat(rtc.poll(0)).isEqualTo(TICKS_PER_SECOND);
    }

    @Test
    void resetDisarmsTheAlarmAndLowersTheLine() {
        rtc.write(ALARM_LOW, 4, 0);
        rtc.write(IRQ_ENABLED, 4, 1);
        assertThat(board.interrupt.isRaised()).isTrue();
        rtc.reset();
        assertThat(board.interrupt.isRaised()).isFalse();
        assertThat(rtc.read(IRQ_ENABLED, 4)).isZero();
        assertThat(rtc.poll(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void onlyThirtyTwoBitAccessesAreAccepted() {
        assertThatThrownBy(() -> rtc.read(TIME_LOW, 8)).isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("unsupported 8-byte access at offset 0x0");
        assertThatThrownBy(() -> rtc.write(IRQ_ENABLED + 1, 1, 1)).isInstanceOf(MemoryAccessException.class);
        assertThat(rtc.read(0x20, 4)).isZero();
        rtc.write(0x20, 4, 1); // no register there: ignored
    }

    @Test
    void deterministicRunsStartAtTheSameDate() {
        TimeSource deterministic = new TimeSource() {
            @Override
            public long now() {
                return 3 * TICKS_PER_SECOND;
            }

            @Override
            public long frequencyHz() {
                return TICKS_PER_SECOND;
            }

            @Override
            public boolean deterministic() {
                return true;
            }
        };
        DeviceContext context = board.context("rtc", 0x10_1000L, 0x1000, 11);
        GoldfishRtc clock = create(new DeviceContext(context.instanceName(), context.range(),
                context.interruptNumber(), context.interrupt(), context.memory(), deterministic, context.harts(),
                context.console(), context.counters(), context.control()));
        long low = clock.read(TIME_LOW, 4);
        assertThat(clock.read(TIME_HIGH, 4) << 32 | low)
                .isEqualTo(GoldfishRtcProvider.DETERMINISTIC_START.getEpochSecond() * SECOND);
    }

    @Test
    void describesTheQemuVirtNode() {
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        rtc.describe(tree);
        RecordingDeviceTreeWriter.Node node = tree.node("rtc@101000");
        assertThat(node.strings("compatible")).containsExactly("google,goldfish-rtc");
        assertThat(node.cells("reg")).containsExactly(0, 0x10_1000, 0, 0x1000);
        assertThat(node.cells("interrupts")).containsExactly(11);
    }
}
