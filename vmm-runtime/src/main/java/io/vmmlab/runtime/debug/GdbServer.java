package io.vmmlab.runtime.debug;

import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.run.ExecutionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A GDB remote stub for one run, as QEMU's {@code -s -S}: it listens on a loopback port, holds the machine before its
 * first instruction until a debugger connects and continues, and serves one debugger at a time on a thread of its
 * own ({@code target remote :PORT} in GDB; {@code gdb-multiarch} or {@code riscv64-*-gdb}). A debugger that goes
 * away without detaching lets the run go on, with no breakpoints.
 */
public final class GdbServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GdbServer.class);

    private final ServerSocket listener;
    private final DebugSession session = new DebugSession();
    private final Thread thread;
    private volatile Socket connection;
    // While the debugger waits for the run to stop: the run's end must reach it before the connection closes.
    private boolean awaitingStop;

    private GdbServer(ServerSocket listener) {
        this.listener = listener;
        this.thread = new Thread(this::acceptDebuggers, "vmm-gdb");
        thread.setDaemon(true);
    }

    /**
     * Listens on a loopback port and starts serving.
     *
     * @param port the port (0 for any free one)
     * @return the server
     * @throws UncheckedIOException when the port cannot be had
     */
    public static GdbServer listen(int port) {
        try {
            GdbServer server = new GdbServer(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
            server.thread.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for a debugger on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the port it listens on.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Registers what to do once the run has started and waits for the debugger (tell the user where to connect).
     *
     * @param action what to do, on the run loop's thread
     * @return this server
     */
    public GdbServer whenStarted(Runnable action) {
        session.whenStarted(action);
        return this;
    }

    /**
     * Returns what the run loop must consult: the debugger's hold on the run.
     *
     * @return the control
     */
    public ExecutionControl control() {
        return session;
    }

    /**
     * Stops listening and drops the debugger's connection (the run has ended), once a debugger waiting for the run to
     * stop has been told how it ended (for at most a second).
     */
    @Override
    public void close() {
        awaitReported();
        try {
            listener.close();
            Socket current = connection;
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            log.debug("Closing the debugger port failed", e);
        }
        thread.interrupt();
    }

    private void acceptDebuggers() {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                connection = socket;
                socket.setTcpNoDelay(true);
                serve(socket);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log.warn("The debugger's connection failed: {}", e.getMessage());
                    session.detach();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // a defect of the stub's own: the run goes on without the debugger
                log.warn("The debugger's session failed: {}", e.toString());
                session.detach();
            }
        }
    }

    private synchronized void awaitReported() {
        long end = System.nanoTime() + 1_000_000_000L;
        try {
            while (awaitingStop && System.nanoTime() < end) {
                wait(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void setAwaitingStop(boolean awaiting) {
        awaitingStop = awaiting;
        notifyAll();
    }

    private void serve(Socket socket) throws IOException, InterruptedException {
        InputStream in = socket.getInputStream();
        RspChannel channel = new RspChannel(in, socket.getOutputStream());
        VirtMachine machine = session.awaitMachine();
        if (machine == null) {
            return; // the run ended before it started
        }
        GdbCommands commands = new GdbCommands(session, machine, session.hypervisor());
        session.attach();
        while (true) {
            String packet = channel.receive();
            if (packet == null) {
                session.detach(); // gone without a word: the run goes on
                return;
            }
            if (packet.equals(RspChannel.INTERRUPT)) {
                session.interrupt();
                continue;
            }
            if (packet.equals("?")) {
                channel.sendPacket(session.lastStop());
                commands.selectStopped(session.stoppedHart());
                continue;
            }
            boolean resumes = !packet.isEmpty() && "cCsS".indexOf(packet.charAt(0)) >= 0;
            if (resumes) {
                setAwaitingStop(true); // before the run can end: its exit reply must reach the debugger
            }
            String reply;
            try {
                reply = commands.handle(packet);
            } catch (RuntimeException e) { // a hart or device plugin that cannot do what was asked: an error reply
                log.warn("The debugger's request '{}' failed: {}", packet, e.toString());
                reply = "E00";
            }
            if (reply.equals(GdbCommands.RESUMED)) {
                String stop;
                try {
                    stop = awaitStop(socket, in);
                    if (stop != null) {
                        channel.sendPacket(stop);
                    }
                } finally {
                    setAwaitingStop(false);
                }
                if (stop == null || session.ended()) {
                    return;
                }
                commands.selectStopped(session.stoppedHart()); // GDB now looks at the thread the stop names
            } else if (resumes) {
                setAwaitingStop(false);
                channel.sendPacket(reply);
            } else if (reply.equals(GdbCommands.DETACHED)) {
                channel.sendPacket("OK");
                return;
            } else {
                channel.sendPacket(reply);
            }
        }
    }

    /**
     * Waits for the run to stop while reading the connection for the interrupt byte, the only thing the debugger may
     * send meanwhile (briefly, so that a debugger that went away is noticed: the run then goes on without it).
     *
     * @return the stop or exit reply, or null when the debugger has gone
     */
    private String awaitStop(Socket socket, InputStream in) throws IOException, InterruptedException {
        socket.setSoTimeout(20);
        try {
            return session.awaitStop(() -> readInterrupt(in));
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private void readInterrupt(InputStream in) {
        try {
            int value = in.read();
            if (value == 0x03) {
                session.interrupt();
            } else if (value < 0) {
                session.detach(); // gone during the run
            }
        } catch (SocketTimeoutException e) {
            // nothing sent
        } catch (IOException e) {
            session.detach();
        }
    }
}
