package io.vmmlab.cli.host;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs a host on a thread of this JVM with a fake runner and talks to it as the launcher does (see
 * {@link HostProtocol}). Every wait is bounded: sockets have a read timeout, futures and joins a time limit, and each
 * test a time limit of its own, so a broken host fails the test instead of hanging the build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class HostServerTest {
    /** How long any single wait may take before the test fails. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** How long a client waits for the host to write; longer than any session here lasts. */
    private static final Duration READ_LIMIT = Duration.ofSeconds(10);
    /** The host checks its state file and idle time once a second; it ends within a few seconds of either. */
    private static final Duration END_LIMIT = Duration.ofSeconds(4);

    @TempDir
    Path directory;

    private Path stateFile;
    private final ByteArrayOutputStream hostLog = new ByteArrayOutputStream();
    private final ByteArrayOutputStream hostOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream hostErr = new ByteArrayOutputStream();
    private final CompletableFuture<Void> served = new CompletableFuture<>();
    private final List<Client> clients = new ArrayList<>();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Thread host;
    private HostState state;

    @BeforeEach
    void captureStandardStreams() {
        // serve() wraps System.out and System.err: give it streams this test can read, and put the real ones back after
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(hostOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(hostErr, true, StandardCharsets.UTF_8));
        stateFile = directory.resolve("host.state");
    }

    @AfterEach
    void stopHostAndRestoreStandardStreams() throws IOException {
        try {
            for (Client client : clients) {
                client.close();
            }
            readers.shutdownNow();
            // Ends the host within a second (its next check); the tests that are about its end wait for it.
            Files.deleteIfExists(stateFile);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    // ---- the host ----

    private void start(Duration idleLimit, SessionRunner runner) throws InterruptedException {
        HostServer server = new HostServer(stateFile, idleLimit, runner,
                new PrintStream(hostLog, true, StandardCharsets.UTF_8));
        host = new Thread(() -> {
            try {
                server.serve();
                served.complete(null);
            } catch (Throwable e) {
                served.completeExceptionally(e);
            }
        }, "test-vmm-host");
        host.setDaemon(true);
        host.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<HostState> written = HostState.read(stateFile);
        // Ready once it says so, which it does after writing its state file.
        while (written.isEmpty() || !log().contains("listening on")) {
            if (served.isDone() || System.nanoTime() > deadline) {
                fail("the host wrote no state file or did not say it listens: " + served);
            }
            Thread.sleep(5);
            written = HostState.read(stateFile);
        }
        state = written.get();
    }

    private void start(SessionRunner runner) throws InterruptedException {
        start(Duration.ZERO, runner);
    }

    private void awaitServeReturns() throws InterruptedException, ExecutionException {
        try {
            served.get(END_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("serve() did not return within " + END_LIMIT);
        }
    }

    private String log() {
        return hostLog.toString(StandardCharsets.UTF_8);
    }

    // ---- the client side of the protocol ----

    private Socket connect(String opening) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), state.port());
        socket.setSoTimeout((int) READ_LIMIT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(opening.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int value = in.read(); value != '\n'; value = in.read()) {
            if (value < 0) {
                throw new EOFException("the connection ended after '" + line.toString(StandardCharsets.UTF_8) + "'");
            }
            line.write(value);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String readAll(Socket socket) {
        try {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the host closed a connection without writing anything on it. */
    private static void assertClosedUnanswered(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).as("the host's answer").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            fail("the host left the connection open");
        } catch (SocketException e) {
            // Closed with bytes this side sent still unread there: a reset, also unanswered.
            assertThat(e).hasMessageContaining("reset");
        }
    }

    /** One command sent to the host: the control connection, then the three stream connections. */
    private final class Client implements AutoCloseable {
        private final Socket control;
        private final long id;
        private Socket out;
        private Socket err;
        private Socket in;
        private CompletableFuture<String> output;
        private CompletableFuture<String> error;

        Client(Path workingDirectory, String... arguments) throws IOException {
            clients.add(this);
            control = connect(state.token() + " run " + (arguments.length + 1) + "\n");
            OutputStream strings = control.getOutputStream();
            strings.write(workingDirectory.toString().getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            for (String argument : arguments) {
                strings.write(argument.getBytes(StandardCharsets.UTF_8));
                strings.write(0);
            }
            strings.flush();
            id = Long.parseLong(readLine(control.getInputStream()));
        }

        Client(String... arguments) throws IOException {
            this(directory, arguments);
        }

        /** Opens the stream connections and starts reading standard output and error (both, so neither blocks). */
        Client attach() throws IOException {
            out = connect(state.token() + " out " + id + "\n");
            err = connect(state.token() + " err " + id + "\n");
            in = connect(state.token() + " in " + id + "\n");
            output = CompletableFuture.supplyAsync(() -> readAll(out), readers);
            error = CompletableFuture.supplyAsync(() -> readAll(err), readers);
            return this;
        }

        void type(String text) throws IOException {
            in.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            in.getOutputStream().flush();
        }

        void endInput() throws IOException {
            in.shutdownOutput();
        }

        String output() throws Exception {
            return output.get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        String error() throws Exception {
            return error.get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        int exitCode() throws IOException {
            String line = readLine(control.getInputStream());
            assertThat(line).matches("exit -?[0-9]+");
            return Integer.parseInt(line.substring("exit ".length()));
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : new Socket[] {control, out, err, in}) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    // ---- fakes ----

    private static void print(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released the runner");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- tests ----

    @Test
    void theStateFileNamesThisProcessAndTheLogTheHostsPort() throws Exception {
        start(Duration.ZERO, (arguments, session) -> 0);

        assertThat(state.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(state.token()).matches("[0-9a-f]{64}");
        assertThat(log()).contains("vmm serve: listening on 127.0.0.1:" + state.port());
    }

    @Test
    void theWorkingDirectoryAndArgumentsReachTheRunner() throws Exception {
        CompletableFuture<List<String>> received = new CompletableFuture<>();
        CompletableFuture<Path> receivedDirectory = new CompletableFuture<>();
        start((arguments, session) -> {
            received.complete(arguments);
            receivedDirectory.complete(session.directory());
            return 0;
        });
        Path workingDirectory = Files.createDirectory(directory.resolve("répertoire de travail"));

        Client client = new Client(workingDirectory, "run", "--kernel", "a b.elf", "", "日本語").attach();

        assertThat(client.exitCode()).isZero();
        assertThat(received.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .containsExactly("run", "--kernel", "a b.elf", "", "日本語");
        assertThat(receivedDirectory.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(workingDirectory);
    }

    @Test
    void theRunnersOutputAndErrorReachTheirOwnConnections() throws Exception {
        String large = "0123456789abcdef".repeat(1 << 16);
        start((arguments, session) -> {
            print(session.out(), "to standard output\n");
            print(session.err(), "to standard error\n");
            print(session.out(), large);
            return 0;
        });

        Client client = new Client("run").attach();

        assertThat(client.exitCode()).isZero();
        assertThat(client.output()).isEqualTo("to standard output\n" + large);
        assertThat(client.error()).isEqualTo("to standard error\n");
    }

    @Test
    void standardInputReachesTheRunner() throws Exception {
        start((arguments, session) -> {
            try {
                print(session.out(), "read: " + new String(session.in().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return 0;
        });

        Client client = new Client("run").attach();
        client.type("hello\n");
        client.type("wörld\n");
        client.endInput();

        assertThat(client.exitCode()).isZero();
        assertThat(client.output()).isEqualTo("read: hello\nwörld\n");
    }

    @Test
    void theRunnersExitCodeComesBackAndIsLogged() throws Exception {
        start((arguments, session) -> 42);

        Client client = new Client("run", "--quiet").attach();

        assertThat(client.exitCode()).isEqualTo(42);
        assertThat(client.output()).isEmpty();
        assertThat(client.error()).isEmpty();
        assertThat(log()).containsPattern("vmm serve: session " + client.id + " \\(run\\) ended: exit 42 after "
                + "[0-9.,]+ s\n");
    }

    @Test
    void aRunnerThatThrowsExitsWithAnInternalErrorAndTheHostKeepsServing() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start((arguments, session) -> {
            if (runs.incrementAndGet() == 1) {
                print(session.out(), "partial output\n");
                throw new IllegalStateException("boom");
            }
            return 0;
        });

        Client failing = new Client("run").attach();

        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.output()).isEqualTo("partial output\n");
        assertThat(failing.error())
                .isEqualTo("vmm: internal error in the resident host: java.lang.IllegalStateException: boom\n");
        assertThat(new Client("run").attach().exitCode()).isZero();
        assertThat(runs).hasValue(2);
    }

    @Test
    void aConnectionWithAWrongTokenIsClosedUnansweredAndTheHostKeepsServing() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start((arguments, session) -> runs.incrementAndGet());
        String wrongToken = state.token().substring(1) + (state.token().endsWith("0") ? "1" : "0");

        try (Socket wrong = connect(wrongToken + " run 2\n")) {
            assertClosedUnanswered(wrong);
        }
        try (Socket noToken = connect("run 2\n")) {
            assertClosedUnanswered(noToken);
        }

        assertThat(new Client("run").attach().exitCode()).isEqualTo(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void malformedOpeningsAreClosedUnanswered() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start((arguments, session) -> runs.incrementAndGet());
        String token = state.token();

        List<String> openings = List.of(token + " run\n", token + " run 1 extra\n", token + " run 0\n",
                token + " run many\n", token + " run 1\u0007\n", token + " out " + "1".repeat(300) + "\n",
                token + " out 99\n", token + " frob 1\n");
        for (String opening : openings) {
            try (Socket connection = connect(opening)) {
                assertClosedUnanswered(connection);
            }
        }
        for (String early : List.of(token + " ru", token + " run 2\n" + directory + "\0run")) {
            try (Socket connection = connect(early)) {
                connection.shutdownOutput();
                assertClosedUnanswered(connection);
            }
        }

        assertThat(runs).hasValue(0);
        assertThat(new Client("run").attach().exitCode()).isEqualTo(1);
    }

    @Test
    void aRelativeWorkingDirectoryIsClosedUnanswered() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start((arguments, session) -> runs.incrementAndGet());

        try (Socket connection = connect(state.token() + " run 2\nrelative/directory\0run\0")) {
            assertClosedUnanswered(connection);
        }

        assertThat(runs).hasValue(0);
    }

    @Test
    void aWorkingDirectoryThatIsNotADirectoryHereIsClosedUnanswered() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start((arguments, session) -> runs.incrementAndGet());

        Socket control = connect(state.token() + " run 2\n");
        control.getOutputStream().write((directory.resolve("gone") + "\0run\0").getBytes(StandardCharsets.UTF_8));
        control.getOutputStream().flush();

        assertClosedUnanswered(control);
        assertThat(runs).hasValue(0);
    }

    @Test
    void aStreamConnectionCannotBeAttachedTwice() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start((arguments, session) -> {
            running.countDown();
            await(release);
            print(session.out(), "first\n");
            return 0;
        });
        Client client = new Client("run").attach();
        await(running); // the client's own three connections are attached (the host handles openings in parallel)

        try (Socket second = connect(state.token() + " out " + client.id + "\n")) {
            assertClosedUnanswered(second);
        } finally {
            release.countDown();
        }

        assertThat(client.exitCode()).isZero();
        assertThat(client.output()).isEqualTo("first\n");
    }

    @Test
    void closingTheControlConnectionAbandonsTheSession() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Boolean> abandoned = new CompletableFuture<>();
        start((arguments, session) -> {
            boolean before = session.abandoned();
            running.countDown();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!session.abandoned() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            abandoned.complete(!before && session.abandoned());
            return 0;
        });
        Client client = new Client("run").attach();
        await(running);

        client.control.close();

        assertThat(abandoned.get(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("abandoned, and only once gone")
                .isTrue();
        assertThat(client.output()).as("the host closes the output connection at the session's end").isEmpty();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log().contains("its client gone") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log()).contains("vmm serve: session " + client.id + " (run) ended: exit 0 after")
                .contains(", its client gone");
    }

    @Test
    void aRunBlockedWritingToAClientThatLeftEndsWhenTheClientDoes() throws Exception {
        CompletableFuture<String> writes = new CompletableFuture<>();
        start((arguments, session) -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    session.out().write(chunk);
                    session.out().flush();
                }
            } catch (IOException e) {
                writes.complete("failed");
            }
            return 0;
        });
        Client client = new Client("run");
        // Stream connections that nobody reads: the run's writes soon wait for room.
        List<Socket> unread = List.of(connect(state.token() + " out " + client.id + "\n"),
                connect(state.token() + " err " + client.id + "\n"), connect(state.token() + " in " + client.id + "\n"));

        client.control.close(); // the client goes, its stream connections left open

        try {
            assertThat(writes.get(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("failed");
        } finally {
            for (Socket socket : unread) {
                socket.close();
            }
        }
    }

    @Test
    void aSessionPrintingUnderALoggersGlobalLockToAClientThatDoesNotReadHoldsUpNoOtherSession() throws Exception {
        Object loggerLock = new Object(); // as SLF4J's simple logger holds one lock around every line it writes
        CountDownLatch flooding = new CountDownLatch(1);
        start((arguments, session) -> {
            if (arguments.get(0).equals("flood")) {
                String line = "x".repeat(64 * 1024);
                flooding.countDown();
                for (int i = 0; i < 200 && !session.abandoned(); i++) {
                    synchronized (loggerLock) {
                        System.err.println(line);
                        System.err.flush();
                    }
                }
                return 0;
            }
            synchronized (loggerLock) {
                System.err.println("from " + arguments.get(0));
            }
            return 7;
        });
        Client flood = new Client("flood");
        List<Socket> unread = List.of(connect(state.token() + " out " + flood.id + "\n"),
                connect(state.token() + " err " + flood.id + "\n"), connect(state.token() + " in " + flood.id + "\n"));
        await(flooding);
        Thread.sleep(200);

        try {
            Client other = new Client("other").attach();
            assertThat(other.exitCode()).isEqualTo(7);
            assertThat(other.error()).isEqualTo("from other\n");
        } finally {
            flood.control.close();
            for (Socket socket : unread) {
                socket.close();
            }
        }
    }

    @Test
    void terminalModeRequestsWaitForTheClientsAnswer() throws Exception {
        CompletableFuture<Long> rawTook = new CompletableFuture<>();
        start((arguments, session) -> {
            long start = System.nanoTime();
            session.terminalMode(true);
            rawTook.complete(System.nanoTime() - start);
            session.terminalMode(false);
            return 7;
        });
        Client client = new Client("run").attach();
        InputStream control = client.control.getInputStream();

        assertThat(readLine(control)).isEqualTo("raw");
        Thread.sleep(300); // the client takes its time to set its terminal; the request must wait for the answer
        client.control.getOutputStream().write('a');
        client.control.getOutputStream().flush();
        assertThat(readLine(control)).isEqualTo("cooked");
        client.control.getOutputStream().write('a');
        client.control.getOutputStream().flush();

        assertThat(client.exitCode()).isEqualTo(7);
        assertThat(rawTook.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(250_000_000L);
    }

    @Test
    void aClientThatDoesNotAnswerATerminalModeRequestDelaysTheRunOnlyBriefly() throws Exception {
        start((arguments, session) -> {
            session.terminalMode(true);
            return 0;
        });
        Client client = new Client("run").attach();

        assertThat(readLine(client.control.getInputStream())).isEqualTo("raw");
        assertThat(client.exitCode()).as("the host goes on after at most two seconds").isZero();
    }

    @Test
    void aSessionThatEndsNormallyIsNotAbandoned() throws Exception {
        CompletableFuture<Boolean> abandoned = new CompletableFuture<>();
        start((arguments, session) -> {
            abandoned.complete(session.abandoned());
            return 0;
        });

        Client client = new Client("run").attach();

        assertThat(client.exitCode()).isZero();
        assertThat(abandoned.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        assertThat(log()).doesNotContain("its client gone");
    }

    @Test
    void whatASessionsThreadsPrintGoesToItsClientAndOtherThreadsToTheHost() throws Exception {
        CountDownLatch printing = new CountDownLatch(1);
        CountDownLatch hostPrinted = new CountDownLatch(1);
        start((arguments, session) -> {
            System.out.println("runner out");
            System.err.println("runner err");
            Thread child = new Thread(() -> {
                System.out.println("child out");
                System.err.println("child err");
            });
            child.start();
            try {
                child.join(WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            printing.countDown();
            await(hostPrinted);
            return 0;
        });

        Client client = new Client("run").attach();
        await(printing);
        System.out.println("host out");
        System.err.println("host err");
        hostPrinted.countDown();

        assertThat(client.exitCode()).isZero();
        assertThat(client.output()).isEqualTo("runner out\nchild out\n");
        assertThat(client.error()).isEqualTo("runner err\nchild err\n");
        assertThat(hostOut.toString(StandardCharsets.UTF_8)).contains("host out").doesNotContain("runner", "child");
        assertThat(hostErr.toString(StandardCharsets.UTF_8)).contains("host err").doesNotContain("runner", "child");
    }

    @Test
    void concurrentSessionsEachPrintToTheirOwnClient() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        start((arguments, session) -> {
            try {
                together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                System.out.println("from " + arguments.get(0));
                together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                System.err.println("error from " + arguments.get(0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return arguments.get(0).length();
        });

        Client first = new Client("a").attach();
        Client second = new Client("bb").attach();

        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(first.id).isNotEqualTo(second.id);
        assertThat(first.output()).isEqualTo("from a\n");
        assertThat(first.error()).isEqualTo("error from a\n");
        assertThat(second.output()).isEqualTo("from bb\n");
        assertThat(second.error()).isEqualTo("error from bb\n");
    }

    @Test
    void deletingTheStateFileEndsTheHost() throws Exception {
        start((arguments, session) -> 0);

        Files.delete(stateFile);

        awaitServeReturns();
        assertThat(stateFile).doesNotExist();
        assertThat(log()).contains("vmm serve: ending: its state file " + stateFile + " no longer names it");
    }

    @Test
    void aStateFileNamingAnotherHostEndsThisOneAndIsLeftAlone() throws Exception {
        start((arguments, session) -> 0);
        HostState other = new HostState(state.port() + 1, "feed", state.pid() + 1);

        other.write(stateFile);

        awaitServeReturns();
        assertThat(HostState.read(stateFile)).contains(other);
    }

    @Test
    void theIdleLimitEndsTheHostAndRemovesItsStateFile() throws Exception {
        start(Duration.ofMillis(100), (arguments, session) -> 0);

        awaitServeReturns();

        assertThat(stateFile).doesNotExist();
        assertThat(log()).contains("vmm serve: ending: idle");
    }

    @Test
    void aRunningSessionKeepsTheHostFromIdling() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(Duration.ofMillis(100), (arguments, session) -> {
            await(release);
            return 7;
        });
        Client client = new Client("run").attach();

        Thread.sleep(1_500); // past the idle limit and at least one check

        assertThat(host.isAlive()).as("the host still serves").isTrue();
        assertThat(HostState.read(stateFile)).contains(state);
        release.countDown();
        assertThat(client.exitCode()).isEqualTo(7);
        awaitServeReturns();
        assertThat(stateFile).doesNotExist();
    }

    /**
     * A session's standard input may stay quiet for long (a guest console nobody types into). The host sets a
     * 5-second read timeout on every new connection for its opening line and clears it only on control connections,
     * so a runner reading the {@code in} connection gets a {@link SocketTimeoutException} after 5 idle seconds: the
     * guest console then never sees input again, Ctrl-A X included.
     */
    @Test
    void standardInputMayStayQuietLongerThanTheOpeningLimit() throws Exception {
        start((arguments, session) -> {
            try {
                print(session.out(), "read: " + new String(session.in().readAllBytes(), StandardCharsets.UTF_8));
                return 0;
            } catch (IOException e) {
                print(session.err(), e.toString());
                return 1;
            }
        });
        Client client = new Client("run").attach();

        Thread.sleep(6_000);
        client.type("late\n");
        client.endInput();

        assertThat(client.error()).isEmpty();
        assertThat(client.output()).isEqualTo("read: late\n");
        assertThat(client.exitCode()).isZero();
    }
}
