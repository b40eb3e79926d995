package io.vmmlab.cli.host;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code System.out} or {@code System.err} of the resident host: what a session's threads print (the logger's
 * warnings, anything printed directly) goes to that session's client; what other threads print goes to the host's
 * own stream. Threads a session starts inherit its route.
 *
 * <p>Every call goes to the calling thread's own {@link PrintStream} (one per session and stream) and takes no lock
 * of its own: a session whose client does not read what it prints blocks only its own threads, not every other
 * session's output behind one shared stream's lock; and what it prints goes through an {@link OutputPump}, so a
 * print never waits for the client at all (SLF4J's simple logger writes each line under one global lock of its
 * own).
 */
final class SessionOutput extends PrintStream {
    private final PrintStream host;
    private final InheritableThreadLocal<Route> route;
    private final boolean error;

    private SessionOutput(PrintStream host, InheritableThreadLocal<Route> route, boolean error) {
        super(OutputStream.nullOutputStream());
        this.host = host;
        this.route = route;
        this.error = error;
    }

    /**
     * A session's two streams as its threads print to them, made once the session's connections are there: each
     * goes through an {@link OutputPump}, so that a print never waits for the client.
     */
    static final class Route {
        /** How long the session's end waits for printed output to reach its client. */
        private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);

        private final ClientStreams streams;
        private final String name;
        private PrintStream out;
        private PrintStream err;
        private OutputPump outPump;
        private OutputPump errPump;

        Route(ClientStreams streams, String name) {
            this.streams = streams;
            this.name = name;
        }

        /** The stream, or null while the session's connection for it has not arrived. */
        synchronized PrintStream stream(boolean error) {
            if (error) {
                if (err == null && streams.err() != null) {
                    errPump = new OutputPump(streams.err(), name + "-err");
                    err = new PrintStream(errPump, true);
                }
                return err;
            }
            if (out == null && streams.out() != null) {
                outPump = new OutputPump(streams.out(), name + "-out");
                out = new PrintStream(outPump, true);
            }
            return out;
        }

        /** Lets what the session's threads printed reach its client (at most a short wait), before it ends. */
        void drain() {
            OutputPump outFinishing;
            OutputPump errFinishing;
            synchronized (this) {
                outFinishing = outPump;
                errFinishing = errPump;
            }
            if (outFinishing != null) {
                outFinishing.finish(DRAIN_LIMIT);
            }
            if (errFinishing != null) {
                errFinishing.finish(DRAIN_LIMIT);
            }
        }
    }

    /** The routes installed as {@code System.out} and {@code System.err}: which client each thread prints to. */
    static final class Routes {
        private final InheritableThreadLocal<Route> route = new InheritableThreadLocal<>();

        /**
         * Sends the calling thread's output, and that of threads it starts, to a client.
         *
         * @param streams the client's streams
         * @param name names the route's pump threads
         * @return the route, to drain at the session's end
         */
        Route route(ClientStreams streams, String name) {
            Route created = new Route(streams, name);
            route.set(created);
            return created;
        }

        /** Sends the calling thread's output back to the host's own streams. */
        void clear() {
            route.remove();
        }
    }

    /**
     * Installs routed streams as {@code System.out} and {@code System.err}.
     *
     * @return the routes
     */
    static Routes install() {
        Routes routes = new Routes();
        System.setOut(new SessionOutput(System.out, routes.route, false));
        System.setErr(new SessionOutput(System.err, routes.route, true));
        return routes;
    }

    private PrintStream target() {
        Route current = route.get();
        PrintStream target = current == null ? null : current.stream(error);
        return target != null ? target : host;
    }

    @Override
    public void write(int value) {
        target().write(value);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        target().write(bytes, offset, length);
    }

    @Override
    public void write(byte[] bytes) {
        target().write(bytes, 0, bytes.length);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        target().write(bytes, 0, bytes.length);
    }

    @Override
    public void flush() {
        target().flush();
    }

    /** Closes nothing: the host's and the sessions' streams are their owners' to close. */
    @Override
    public void close() {
        target().flush();
    }

    @Override
    public boolean checkError() {
        return target().checkError();
    }

    @Override
    public void print(boolean value) {
        target().print(value);
    }

    @Override
    public void print(char value) {
        target().print(value);
    }

    @Override
    public void print(int value) {
        target().print(value);
    }

    @Override
    public void print(long value) {
        target().print(value);
    }

    @Override
    public void print(float value) {
        target().print(value);
    }

    @Override
    public void print(double value) {
        target().print(value);
    }

    @Override
    public void print(char[] value) {
        target().print(value);
    }

    @Override
    public void print(String value) {
        target().print(value);
    }

    @Override
    public void print(Object value) {
        target().print(value);
    }

    @Override
    public void println() {
        target().println();
    }

    @Override
    public void println(boolean value) {
        target().println(value);
    }

    @Override
    public void println(char value) {
        target().println(value);
    }

    @Override
    public void println(int value) {
        target().println(value);
    }

    @Override
    public void println(long value) {
        target().println(value);
    }

    @Override
    public void println(float value) {
        target().println(value);
    }

    @Override
    public void println(double value) {
        target().println(value);
    }

    @Override
    public void println(char[] value) {
        target().println(value);
    }

    @Override
    public void println(String value) {
        target().println(value);
    }

    @Override
    public void println(Object value) {
        target().println(value);
    }

    @Override
    public PrintStream printf(String format, Object... arguments) {
        target().printf(format, arguments);
        return this;
    }

    @Override
    public PrintStream printf(Locale locale, String format, Object... arguments) {
        target().printf(locale, format, arguments);
        return this;
    }

    @Override
    public PrintStream format(String format, Object... arguments) {
        target().format(format, arguments);
        return this;
    }

    @Override
    public PrintStream format(Locale locale, String format, Object... arguments) {
        target().format(locale, format, arguments);
        return this;
    }

    @Override
    public PrintStream append(CharSequence text) {
        target().append(text);
        return this;
    }

    @Override
    public PrintStream append(CharSequence text, int start, int end) {
        target().append(text, start, end);
        return this;
    }

    @Override
    public PrintStream append(char value) {
        target().append(value);
        return this;
    }
}
