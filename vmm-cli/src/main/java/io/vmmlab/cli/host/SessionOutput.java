package io.vmmlab.cli.host;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * {@code System.out} or {@code System.err} of the resident host: what a session's threads print (the logger's
 * warnings, anything printed directly) goes to that session's client; what other threads print goes to the host's
 * own stream. Threads a session starts inherit its route.
 */
final class SessionOutput extends OutputStream {
    private final PrintStream host;
    private final InheritableThreadLocal<ClientStreams> client;
    private final Function<ClientStreams, OutputStream> stream;

    private SessionOutput(PrintStream host, InheritableThreadLocal<ClientStreams> client,
                          Function<ClientStreams, OutputStream> stream) {
        this.host = host;
        this.client = client;
        this.stream = stream;
    }

    /** The routes installed as {@code System.out} and {@code System.err}: which client each thread prints to. */
    static final class Routes {
        private final InheritableThreadLocal<ClientStreams> client = new InheritableThreadLocal<>();

        /**
         * Sends the calling thread's output, and that of threads it starts, to a client.
         *
         * @param streams the client's streams
         */
        void route(ClientStreams streams) {
            client.set(streams);
        }

        /** Sends the calling thread's output back to the host's own streams. */
        void clear() {
            client.remove();
        }
    }

    /**
     * Installs routed streams as {@code System.out} and {@code System.err}.
     *
     * @return the routes
     */
    static Routes install() {
        Routes routes = new Routes();
        System.setOut(new PrintStream(new SessionOutput(System.out, routes.client, ClientStreams::out), true));
        System.setErr(new PrintStream(new SessionOutput(System.err, routes.client, ClientStreams::err), true));
        return routes;
    }

    private OutputStream target() {
        ClientStreams streams = client.get();
        OutputStream target = streams == null ? null : stream.apply(streams);
        return target != null ? target : host;
    }

    @Override
    public void write(int value) {
        try {
            target().write(value);
        } catch (IOException e) {
            // The client went away: what it would have printed has nowhere to go.
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        try {
            target().write(bytes, offset, length);
        } catch (IOException e) {
            // As above.
        }
    }

    @Override
    public void flush() {
        try {
            target().flush();
        } catch (IOException e) {
            // As above.
        }
    }
}
