package io.vmmlab.cli.host;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Asks about, and stops, a checkout's resident host from another process ({@code vmm serve --status},
 * {@code vmm serve --stop}), through its state file: the host takes no more commands once the file no longer names
 * it, and ends when the commands it is running have finished.
 */
public final class HostControl {
    /** How often {@link #stop} looks whether the host has ended. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path stateFile;
    private final Predicate<ProcessHandle> isHost;

    /**
     * @param stateFile the checkout's state file
     */
    public HostControl(Path stateFile) {
        this(stateFile, HostControl::isVmmJvm);
    }

    /**
     * @param stateFile the checkout's state file
     * @param isHost tells whether a live process may be the host its state file names
     */
    HostControl(Path stateFile, Predicate<ProcessHandle> isHost) {
        this.stateFile = stateFile;
        this.isHost = isHost;
    }

    /**
     * The host the state file names, if its process is alive and is a VMMLab JVM (a process that took the pid of a
     * host that died without removing its file is not).
     *
     * @return the host's state, or empty
     */
    public Optional<HostState> running() {
        return HostState.read(stateFile).filter(state -> ProcessHandle.of(state.pid())
                .filter(ProcessHandle::isAlive).filter(isHost).isPresent());
    }

    /**
     * Stops the host: removes its state file (a stale one too), then waits for its process to end.
     *
     * @param wait how long to wait for the end
     * @return what happened
     */
    public Stop stop(Duration wait) {
        Optional<HostState> host = running();
        if (host.isEmpty()) {
            boolean removed = HostState.read(stateFile).map(state -> state.removeFrom(stateFile)).orElse(false);
            return new Stop(Stop.Outcome.NONE_RUNNING, 0, removed);
        }
        HostState state = host.get();
        if (!state.removeFrom(stateFile)) {
            // Replaced meanwhile by another host (a `vmm serve` that took its place), which goes on running.
            return new Stop(Stop.Outcome.NONE_RUNNING, 0, false);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(state.pid());
        Instant deadline = Instant.now().plus(wait);
        while (process.filter(ProcessHandle::isAlive).isPresent() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean ended = process.filter(ProcessHandle::isAlive).isEmpty();
        return new Stop(ended ? Stop.Outcome.STOPPED : Stop.Outcome.ENDING, state.pid(), false);
    }

    /** A process whose command line is known to be something else is not a host; an unknown one may be. */
    private static boolean isVmmJvm(ProcessHandle process) {
        return process.info().commandLine().map(line -> line.contains("io.vmmlab.cli.Vmm")).orElse(true);
    }

    /**
     * What {@link #stop} did.
     *
     * @param outcome whether a host ran and has ended
     * @param pid the host's process id (0 when none ran)
     * @param staleFileRemoved whether a state file naming no running host was removed
     */
    public record Stop(Outcome outcome, long pid, boolean staleFileRemoved) {
        /** Whether a host ran and has ended. */
        public enum Outcome {
            /** No host of the checkout was running. */
            NONE_RUNNING,
            /** The host has ended. */
            STOPPED,
            /** The host takes no more commands and ends once those it is running finish. */
            ENDING
        }
    }
}
