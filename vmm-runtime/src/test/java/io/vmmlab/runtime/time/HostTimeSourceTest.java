package io.vmmlab.runtime.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Host-driven platform time can leave out a stretch (a debugger's hold) and go on from where it was. */
final class HostTimeSourceTest {
    @Test
    void anExcludedStretchIsNotPlatformTime() throws InterruptedException {
        HostTimeSource time = new HostTimeSource();
        Thread.sleep(20);
        long before = time.now();

        time.exclude(10_000_000_000L); // ten seconds held

        assertThat(time.now()).as("ten seconds (10^8 ticks) fewer, never less than zero here")
                .isLessThan(before - 90_000_000L);
    }
}
