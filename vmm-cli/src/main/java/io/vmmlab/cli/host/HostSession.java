package io.vmmlab.cli.host;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client's command in the resident host: its control connection (arguments in, exit code out), the three
 * connections of its standard streams, which the client opens once it knows the session's id, and the run itself.
 */
final class HostSession implements ClientStreams {
    /** The exit code when the host itself fails the session (as an internal error of {@code vmm}). */
    static final int INTERNAL_ERROR = 3;
    /** How long the client may take to set its terminal's mode. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(2);

    private final long id;
    private final Socket control;
    /** The control connection's input, past the command (buffered: it may hold what the client sent after it). */
    private final InputStream controlInput;
    private final Path directory;
    private final List<String> arguments;
    private final CompletableFuture<Socket> outConnection = new CompletableFuture<>();
    private final CompletableFuture<Socket> errConnection = new CompletableFuture<>();
    private final CompletableFuture<Socket> inConnection = new CompletableFuture<>();
    /** The client's answers to {@link #terminalMode} (one byte each on the control connection). */
    private final Semaphore answers = new Semaphore(0);
    private volatile boolean abandoned;
    private volatile OutputStream out;
    private volatile OutputStream err;
    private volatile InputStream in;

    HostSession(long id, Socket control, InputStream controlInput, Path directory, List<String> arguments) {
        this.id = id;
        this.control = control;
        this.controlInput = controlInput;
        this.directory = directory;
        this.arguments = List.copyOf(arguments);
    }

    long id() {
        return id;
    }

    /**
     * Hands the session one of its stream connections.
     *
     * @param kind {@code out}, {@code err} or {@code in}
     * @param connection the connection
     * @return false (and the connection is the caller's to close) when the kind is unknown or already attached
     */
    boolean attach(String kind, Socket connection) {
        CompletableFuture<Socket> slot = switch (kind) {
            case "out" -> outConnection;
            case "err" -> errConnection;
            case "in" -> inConnection;
            default -> null;
        };
        return slot != null && slot.complete(connection);
    }

    /**
     * Waits for the stream connections, runs the command, then reports its exit code to the client.
     *
     * @param runner what runs the command
     * @param attachLimit how long the client may take to open its stream connections
     * @param log where the host reports each session's end
     * @param beforeClosing runs once the command has ended, before the streams close (lets printed output drain)
     */
    void run(SessionRunner runner, Duration attachLimit, PrintStream log, Runnable beforeClosing) {
        long start = System.nanoTime();
        int code;
        try {
            out = new BufferedOutputStream(await(outConnection, attachLimit).getOutputStream());
            err = new BufferedOutputStream(await(errConnection, attachLimit).getOutputStream());
            in = await(inConnection, attachLimit).getInputStream();
        } catch (IOException e) {
            log.println("vmm serve: session " + id + ": " + e.getMessage());
            closeAll();
            return;
        }
        watchForDeparture();
        try {
            code = runner.run(arguments, this);
        } catch (RuntimeException | Error e) {
            code = INTERNAL_ERROR;
            writeQuietly(err, "vmm: internal error in the resident host: " + e + "\n");
        }
        boolean clientGone = abandoned; // read before this session closes the control connection itself
        beforeClosing.run();
        flushQuietly(out); // each on its own: an output closed early (| head) must not cost the error stream's end
        flushQuietly(err);
        closeStreams();
        log.printf("vmm serve: session %d (%s) ended: exit %d after %.3f s%s%n", id,
                arguments.isEmpty() ? "no command" : arguments.get(0), code, (System.nanoTime() - start) / 1e9,
                clientGone ? ", its client gone" : "");
        try {
            OutputStream reply = control.getOutputStream();
            reply.write(("exit " + code + "\n").getBytes(StandardCharsets.US_ASCII));
            reply.flush();
        } catch (IOException e) {
            // The client went away.
        }
        closeQuietly(control);
    }

    /**
     * Reads the control connection: each byte is the client's answer to a terminal-mode request; its end marks the
     * session abandoned.
     */
    private void watchForDeparture() {
        Thread watcher = new Thread(() -> {
            try {
                while (controlInput.read() >= 0) {
                    if (answers.availablePermits() == 0) { // one answer is all a request waits for
                        answers.release();
                    }
                }
            } catch (IOException e) {
                // Closed: by the client, or by this session at its end.
            }
            abandoned = true;
            answers.release();
            // A run blocked writing to a client that left without closing its streams must not wait forever.
            closeStreams();
        }, "vmm-host-session-" + id + "-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static Socket await(CompletableFuture<Socket> connection, Duration limit) throws IOException {
        try {
            return connection.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the client did not open its stream connections in time");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private void closeStreams() {
        for (CompletableFuture<Socket> connection : List.of(outConnection, errConnection, inConnection)) {
            connection.thenAccept(HostSession::closeQuietly);
        }
    }

    /** Closes every connection, and any stream connection that arrives later (its slot is filled with none). */
    private void closeAll() {
        for (CompletableFuture<Socket> connection : List.of(outConnection, errConnection, inConnection)) {
            connection.complete(null);
        }
        closeStreams();
        closeQuietly(control);
    }

    private static void flushQuietly(OutputStream stream) {
        try {
            stream.flush();
        } catch (IOException e) {
            // Its reader went away.
        }
    }

    private static void writeQuietly(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The client went away.
        }
    }

    /**
     * Closes a connection, if any, ignoring a failure (closing is all that is asked).
     *
     * @param socket the connection, or null
     */
    static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was asked.
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public OutputStream err() {
        return err;
    }

    @Override
    public boolean abandoned() {
        return abandoned;
    }

    @Override
    public void terminalMode(boolean raw) {
        if (abandoned) {
            return;
        }
        answers.drainPermits(); // a late answer to an earlier request does not answer this one
        try {
            OutputStream request = control.getOutputStream();
            request.write((raw ? "raw\n" : "cooked\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            answers.tryAcquire(ANSWER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            // The client went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
