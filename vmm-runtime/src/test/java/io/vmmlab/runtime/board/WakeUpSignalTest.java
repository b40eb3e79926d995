package io.vmmlab.runtime.board;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The idle run loop's wake-up: no signal is lost between the loop's last look and its wait, and each is taken once. */
final class WakeUpSignalTest {
    private final WakeUpSignal signal = new WakeUpSignal();

    @Test
    void aSignalGivenBeforeTheWaitEndsItAtOnceAndIsTaken() {
        signal.signal();

        assertThat(signal.await(60_000_000_000L)).isTrue();
        assertThat(signal.await(1_000_000)).as("taken by the first wait").isFalse();
    }

    @Test
    void aSignalFromAnotherThreadEndsALongWait() throws InterruptedException {
        Thread host = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            signal.signal();
        });
        host.start();

        assertThat(signal.await(60_000_000_000L)).isTrue();
        host.join();
    }

    @Test
    void withoutASignalTheWaitEndsWhenItsTimeIsUp() {
        long start = System.nanoTime();

        assertThat(signal.await(20_000_000)).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000);
    }
}
