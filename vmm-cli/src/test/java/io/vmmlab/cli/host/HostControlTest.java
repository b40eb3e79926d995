package io.vmmlab.cli.host;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vmm serve --status} and {@code --stop}: a state file naming no live host is stale (removed by a stop); a live
 * host's file is removed and its end waited for. A {@code sleep} process stands for the host's JVM: the real host's end
 * when its file goes is HostServerTest's and scripts/test.sh's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class HostControlTest {
    @TempDir
    Path directory;

    private Process standIn;

    private Path stateFile() {
        return directory.resolve("vmm-host-25");
    }

    private long startStandIn() throws IOException {
        standIn = new ProcessBuilder("sleep", "60").start();
        return standIn.pid();
    }

    @AfterEach
    void stopStandIn() {
        if (standIn != null) {
            standIn.destroyForcibly();
        }
    }

    @Test
    void noStateFileIsNoHost() {
        HostControl control = new HostControl(stateFile());

        assertThat(control.running()).isEmpty();
        assertThat(control.stop(Duration.ofSeconds(1)))
                .isEqualTo(new HostControl.Stop(HostControl.Stop.Outcome.NONE_RUNNING, 0, false));
    }

    @Test
    void aFileNamingADeadProcessIsStaleAndAStopRemovesIt() throws IOException, InterruptedException {
        long pid = startStandIn();
        standIn.destroyForcibly().waitFor();
        new HostState(40000, "00ff", pid).write(stateFile());
        HostControl control = new HostControl(stateFile(), process -> true);

        assertThat(control.running()).isEmpty();
        assertThat(control.stop(Duration.ofSeconds(1)))
                .isEqualTo(new HostControl.Stop(HostControl.Stop.Outcome.NONE_RUNNING, 0, true));
        assertThat(stateFile()).doesNotExist();
    }

    @Test
    void aLiveProcessThatIsNoVmmJvmIsNoHost() throws IOException {
        new HostState(40000, "00ff", startStandIn()).write(stateFile());
        HostControl control = new HostControl(stateFile()); // the real check: sleep's command line is not a JVM's

        assertThat(control.running()).isEmpty();
        assertThat(control.stop(Duration.ofSeconds(1)).staleFileRemoved()).isTrue();
        assertThat(standIn.isAlive()).isTrue();
    }

    @Test
    void aLiveHostIsNamedByStatus() throws IOException {
        HostState state = new HostState(40000, "00ff", startStandIn());
        state.write(stateFile());

        assertThat(new HostControl(stateFile(), process -> true).running()).contains(state);
    }

    @Test
    void aStopRemovesTheFileAndWaitsForTheHostToEnd() throws IOException {
        long pid = startStandIn();
        new HostState(40000, "00ff", pid).write(stateFile());
        // The stand-in ends as a host does: once its state file no longer names it.
        CompletableFuture<Void> host = CompletableFuture.runAsync(() -> {
            while (Files.exists(stateFile())) {
                Thread.onSpinWait();
            }
            standIn.destroy();
        });

        HostControl.Stop stop = new HostControl(stateFile(), process -> true).stop(Duration.ofSeconds(20));

        assertThat(stop).isEqualTo(new HostControl.Stop(HostControl.Stop.Outcome.STOPPED, pid, false));
        assertThat(stateFile()).doesNotExist();
        host.join();
    }

    @Test
    void aHostStillRunningCommandsIsLeftEndingAfterTheWait() throws IOException {
        long pid = startStandIn();
        new HostState(40000, "00ff", pid).write(stateFile());

        HostControl.Stop stop = new HostControl(stateFile(), process -> true).stop(Duration.ofMillis(300));

        assertThat(stop).isEqualTo(new HostControl.Stop(HostControl.Stop.Outcome.ENDING, pid, false));
        assertThat(stateFile()).doesNotExist();
        assertThat(standIn.isAlive()).isTrue();
    }
}
