package io.vmmlab.cli.host;

import java.util.List;

/**
 * Runs one client's command line inside the resident host: what {@code vmm} would do in a process of its own.
 */
@FunctionalInterface
public interface SessionRunner {
    /**
     * Runs a command line.
     *
     * @param arguments the client's arguments
     * @param session the client's working directory and streams
     * @return the exit code the client exits with
     */
    int run(List<String> arguments, ClientStreams session);
}
