package io.vmmlab.runtime.time;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class DeterministicTimeSourceTest {
    private final AtomicLong retired = new AtomicLong();
    private final DeterministicTimeSource time = new DeterministicTimeSource(retired::get, 10);

    @Test
    void advancesOneTickPerInstructionsPerTick() {
        assertThat(time.now()).isZero();

        retired.set(9);
        assertThat(time.now()).isZero();

        retired.set(10);
        assertThat(time.now()).isEqualTo(1);

        retired.set(12_345);
        assertThat(time.now()).isEqualTo(1_234);
    }

    @Test
    void runsAtTheVirtBoardTimebase() {
        assertThat(time.frequencyHz()).isEqualTo(10_000_000L);
        assertThat(new HostTimeSource().frequencyHz()).isEqualTo(10_000_000L);
    }

    @Test
    void skipToMovesTimeForwardAndInstructionsKeepCounting() {
        retired.set(100);

        time.skipTo(1_000);
        assertThat(time.now()).isEqualTo(1_000);

        retired.set(150);
        assertThat(time.now()).isEqualTo(1_005);
    }

    @Test
    void skipToNeverMovesTimeBack() {
        retired.set(500);

        time.skipTo(20);
        assertThat(time.now()).isEqualTo(50);

        time.skipTo(50);
        assertThat(time.now()).isEqualTo(50);

        time.skipTo(70);
        time.skipTo(60);
        assertThat(time.now()).isEqualTo(70);
    }

    @Test
    void skipsAccumulate() {
        time.skipTo(10);
        retired.set(30);
        time.skipTo(100);

        assertThat(time.now()).isEqualTo(100);
        retired.set(40);
        assertThat(time.now()).isEqualTo(101);
    }

    @Test
    void refusesNonPositiveRates() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DeterministicTimeSource(retired::get, 0))
                .withMessage("instructions per tick must be positive: 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new DeterministicTimeSource(retired::get, -10));
    }

    @Test
    void hostTimeNeverGoesBack() {
        HostTimeSource host = new HostTimeSource();

        long first = host.now();
        long second = host.now();

        assertThat(first).isNotNegative();
        assertThat(second).isGreaterThanOrEqualTo(first);
    }
}
