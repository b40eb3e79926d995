package io.vmmlab.cli.host;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resident host behind {@code vmm serve}: one JVM that stays up and runs the commands its clients (the
 * {@code vmm} launcher) send it, each in a session of its own, so a command starts in an already warm JVM instead
 * of a new process. It listens on a loopback port named, with a secret token, in a state file only its owner can
 * read; it stops taking commands when that file stops naming it (a clean build, the launcher after a rebuild) or
 * after an idle time, and ends once the commands still running have finished; or when killed.
 */
public final class HostServer {
    /** How often the host checks its state file and its idle time. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** How long a new connection may take to send its opening (and a command's arguments), in all. */
    private static final int OPENING_LIMIT_MILLIS = 5_000;
    /** The most connections that may be sending their opening at once; more wait in the listen backlog. */
    private static final int MAX_OPENINGS = 64;
    /** Connections the kernel may hold for the accept loop (it caps this at net.core.somaxconn). */
    private static final int BACKLOG = 1024;
    /** The most connections the accept loop takes at once. */
    private static final int BATCH = 256;
    /** How long a client may take to open its stream connections. */
    private static final Duration ATTACH_LIMIT = Duration.ofSeconds(10);

    private final Path stateFile;
    private final Duration idleLimit;
    private final SessionRunner runner;
    private final PrintStream log;
    /** The sessions running; also the monitor their end is signalled on. */
    private final Map<Long, HostSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextSession = new AtomicLong(1);
    private final Semaphore openings = new Semaphore(MAX_OPENINGS);
    private final LoopbackPeers peers = LoopbackPeers.ofThisUser();
    /** Set once the host takes no more commands (its socket is closing). */
    private volatile boolean ending;
    private ScheduledExecutorService checks;
    private volatile long idleSince = System.nanoTime();
    /** The newest of the class path's files when this host was made (before any warm-up). */
    private final Optional<FileTime> codeTime = newestClassPathFile();

    /**
     * Creates a host.
     *
     * @param stateFile where to name the port and token
     * @param idleLimit how long to wait with no session before ending; zero for no limit
     * @param runner what runs each command
     * @param log where the host reports its start, its end and failed sessions
     */
    public HostServer(Path stateFile, Duration idleLimit, SessionRunner runner, PrintStream log) {
        this.stateFile = stateFile;
        this.idleLimit = idleLimit;
        this.runner = runner;
        this.log = log;
    }

    /**
     * Serves until the state file stops naming this host, the idle limit passes, or the process ends.
     *
     * @throws IOException when the port or the state file cannot be set up
     */
    public void serve() throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ExecutorService connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "vmm-host-session");
            thread.setDaemon(true);
            return thread;
        });
        checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vmm-host-check");
            thread.setDaemon(true);
            return thread;
        });
        // A long listen backlog: while the accept loop closes another user's connections, the owner's wait in it
        // instead of having their connection attempts dropped (each drop costs a client a second or more).
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), BACKLOG);
            ServerSocket server = listener.socket();
            HostState state = new HostState(server.getLocalPort(), HexFormat.of().formatHex(secret),
                    ProcessHandle.current().pid());
            state.write(stateFile);
            // Dated from the jars this JVM started with, so a build that ended during the warm-up still makes the
            // launcher (which compares the jars' times with the file's) see this host as older than its jars.
            codeTime.ifPresent(time -> setModified(stateFile, time));
            Thread cleanup = new Thread(() -> state.removeFrom(stateFile), "vmm-host-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            // Said once the state file is written: a script that waits for this line may send commands at once.
            log.println("vmm serve: listening on 127.0.0.1:" + state.port() + " (state in " + stateFile + ")");
            SessionOutput.Routes routes = SessionOutput.install();
            checks.scheduleWithFixedDelay(() -> check(state, server), CHECK_INTERVAL.toMillis(),
                    CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            acceptUntilClosed(listener, connections, state, routes);
            state.removeFrom(stateFile);
            awaitRunningSessions();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs anyway, and does nothing more.
            }
        } finally {
            checks.shutdownNow();
            connections.shutdown();
        }
    }

    private void acceptUntilClosed(ServerSocketChannel listener, ExecutorService connections, HostState state,
                                   SessionOutput.Routes routes) throws IOException {
        while (true) {
            List<Socket> batch;
            try {
                batch = acceptWaiting(listener);
            } catch (ClosedChannelException e) {
                return;
            }
            // Under pressure (connections arriving together, or opening slots running short), another user's
            // connections are closed before they can hold a slot: one read of the socket tables serves the whole
            // batch, however many a flood puts in the backlog. Otherwise the token alone decides, and commands do
            // not pay for reading the tables (some milliseconds on a machine with many sockets open).
            if (batch.size() > 1 || openings.availablePermits() < MAX_OPENINGS / 2) {
                batch = peers.sameUser(batch);
            }
            for (Socket connection : batch) {
                try {
                    openings.acquire(); // beyond the limit, connections wait (each opening ends in 5 s)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    HostSession.closeQuietly(connection);
                    return;
                }
                try {
                    connections.execute(() -> handle(connection, state, routes));
                } catch (RuntimeException | OutOfMemoryError e) { // no thread: the client runs the command itself
                    openings.release();
                    HostSession.closeQuietly(connection);
                }
            }
        }
    }

    /**
     * Waits for a connection, then takes every other one already waiting (up to {@link #BATCH}). Once one is
     * accepted, the listener closing (the host ending) no longer loses it: the batch is handled, and the next call
     * throws.
     */
    private static List<Socket> acceptWaiting(ServerSocketChannel listener) throws IOException {
        List<Socket> batch = new ArrayList<>();
        SocketChannel first = listener.accept();
        if (first == null) { // still non-blocking after a failed switch back: wait in blocking mode next time
            listener.configureBlocking(true);
            return batch;
        }
        batch.add(first.socket());
        try {
            listener.configureBlocking(false);
            while (batch.size() < BATCH) {
                SocketChannel next = listener.accept();
                if (next == null) {
                    break;
                }
                batch.add(next.socket());
            }
        } catch (IOException e) {
            // Closed meanwhile: the batch is still handled (a command then runs in its client's own JVM).
        }
        try {
            listener.configureBlocking(true);
        } catch (IOException e) {
            // Closed: the next accept says so.
        }
        return batch;
    }

    /** Lets the sessions still running finish (a rebuild must not kill a guest someone is running). */
    private void awaitRunningSessions() {
        synchronized (sessions) {
            while (!sessions.isEmpty()) {
                try {
                    sessions.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void check(HostState state, ServerSocket server) {
        try {
            checkOnce(state, server);
        } catch (RuntimeException e) { // a failing check must not stop the checks (the executor would drop them)
            log.println("vmm serve: check failed: " + e);
        }
    }

    private void checkOnce(HostState state, ServerSocket server) {
        if (server.isClosed()) {
            return;
        }
        String reason = null;
        if (!state.isIn(stateFile)) {
            reason = "its state file " + stateFile + " no longer names it";
        } else if (rebuilt()) {
            reason = "its jars were rebuilt";
        } else if (!idleLimit.isZero() && sessions.isEmpty()
                && Duration.ofNanos(System.nanoTime() - idleSince).compareTo(idleLimit) > 0) {
            reason = "idle for " + idleLimit.toSeconds() + " s";
        }
        if (reason != null) {
            log.println("vmm serve: ending: " + reason);
            ending = true;
            // The file goes first: while it names a closed port, another program could take the port and receive
            // the next client's token and command line.
            state.removeFrom(stateFile);
            try {
                server.close();
            } catch (IOException e) {
                // Closing is all that was asked.
            }
        }
    }

    /** Tells whether a jar of this JVM's class path is newer than the code it started with. */
    private boolean rebuilt() {
        Optional<FileTime> newest = newestClassPathFile();
        return codeTime.isPresent() && newest.isPresent() && newest.get().compareTo(codeTime.get()) > 0;
    }

    private void handle(Socket connection, HostState state, SessionOutput.Routes routes) {
        HostProtocol.Opening opening;
        List<String> strings = List.of();
        InputStream controlInput = null;
        // The opening has a deadline in all (a read timeout alone lets a connection send a byte every few seconds).
        // Whichever comes first claims the connection: the deadline (and closes it) or the opening's end.
        AtomicBoolean claimed = new AtomicBoolean();
        ScheduledFuture<?> deadline;
        try {
            deadline = checks.schedule(() -> {
                if (claimed.compareAndSet(false, true)) {
                    HostSession.closeQuietly(connection);
                }
            }, OPENING_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the host is ending
            openings.release();
            HostSession.closeQuietly(connection);
            return;
        }
        try {
            connection.setSoTimeout(OPENING_LIMIT_MILLIS);
            InputStream in = connection.getInputStream();
            opening = HostProtocol.readOpening(in, state.token());
            if (opening.kind().equals("run")) {
                // Buffered from here on: the opening line is read a byte at a time so that a stream connection
                // leaves its first bytes of data in the socket, but a command's arguments may be a megabyte, and
                // nothing follows them until the host asks (the session reads its answers from this stream).
                controlInput = new BufferedInputStream(in);
                strings = HostProtocol.readStrings(controlInput, opening.value());
            }
            connection.setSoTimeout(0); // a session's input may stay quiet for as long as its user likes
        } catch (IOException | RuntimeException e) {
            HostSession.closeQuietly(connection);
            return;
        } finally {
            deadline.cancel(false);
            openings.release();
        }
        if (!claimed.compareAndSet(false, true)) { // the deadline closed it
            return;
        }
        if (opening.kind().equals("run")) {
            if (ending) { // accepted just before the host stopped: its client runs the command itself
                HostSession.closeQuietly(connection);
                return;
            }
            try {
                runSession(connection, controlInput, strings, routes);
            } catch (IOException | RuntimeException e) {
                HostSession.closeQuietly(connection);
            }
            return;
        }
        HostSession session = sessions.get(parseId(opening.value()));
        if (session == null || !session.attach(opening.kind(), connection)) {
            HostSession.closeQuietly(connection);
        }
    }

    private void runSession(Socket control, InputStream controlInput, List<String> strings, SessionOutput.Routes routes) throws IOException {
        Path directory;
        try {
            directory = Path.of(strings.get(0));
        } catch (InvalidPathException e) { // a name this JVM's file-name encoding cannot hold
            throw new IOException("the working directory cannot be a path here: " + e.getMessage());
        }
        if (!directory.isAbsolute() || !Files.isDirectory(directory)) { // the client runs the command itself
            throw new IOException("the working directory is not an absolute path to a directory here");
        }
        HostSession session = new HostSession(nextSession.getAndIncrement(), control, controlInput, directory,
                strings.subList(1, strings.size()));
        sessions.put(session.id(), session);
        try {
            OutputStream reply = control.getOutputStream();
            reply.write((session.id() + "\n").getBytes(StandardCharsets.US_ASCII));
            reply.flush();
            SessionOutput.Route route = routes.route(session, "vmm-host-session-" + session.id());
            session.run(runner, ATTACH_LIMIT, log, route::drain);
        } finally {
            routes.clear();
            idleSince = System.nanoTime();
            synchronized (sessions) {
                sessions.remove(session.id());
                sessions.notifyAll();
            }
        }
    }

    private static Optional<FileTime> newestClassPathFile() {
        Optional<FileTime> newest = Optional.empty();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            try {
                Path file = Path.of(entry);
                if (Files.isRegularFile(file)) {
                    FileTime time = Files.getLastModifiedTime(file);
                    if (newest.isEmpty() || time.compareTo(newest.get()) > 0) {
                        newest = Optional.of(time);
                    }
                }
            } catch (IOException | InvalidPathException e) {
                // Not a file this host can date; the others still count.
            }
        }
        return newest;
    }

    private static void setModified(Path file, FileTime time) {
        try {
            Files.setLastModifiedTime(file, time);
        } catch (IOException e) {
            // The write time stays: a build during the warm-up then goes unseen until the next one.
        }
    }

    private static long parseId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
