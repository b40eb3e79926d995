package io.vmmlab.cli.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Moves what a session's threads print on {@code System.out} or {@code System.err} (the logger's lines) to its client
 * on a thread of its own: a print never waits for the client, so it never holds a lock while it waits (the SLF4J
 * simple logger writes every line under one global lock: a client that did not read its standard error held up
 * every session's log lines). Up to {@link #CAPACITY} bytes wait; beyond that, output is dropped and counted, and
 * the count is said at the end.
 */
final class OutputPump extends OutputStream {
    /** The most bytes that wait for the client. */
    static final int CAPACITY = 1 << 20;

    private final OutputStream target;
    private final String name;
    private byte[] waiting = new byte[8192];
    private int size;
    private long dropped;
    private boolean writing;
    private boolean finished;
    private boolean broken;
    private Thread thread;

    /**
     * @param target the client's stream
     * @param name the pump thread's name
     */
    OutputPump(OutputStream target, String name) {
        this.target = target;
        this.name = name;
    }

    @Override
    public void write(int value) {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (finished || broken) {
            return;
        }
        int taken = Math.min(length, CAPACITY - size);
        dropped += length - taken;
        append(bytes, offset, taken);
    }

    /** Nothing to do: the pump flushes the client's stream after each batch it moves. */
    @Override
    public void flush() {
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (size + length > waiting.length) {
            waiting = Arrays.copyOf(waiting, Math.max(size + length, waiting.length * 2));
        }
        System.arraycopy(bytes, offset, waiting, size, length);
        size += length;
        if (thread == null) {
            // Not inheriting thread-locals: it must not print to a session's route itself.
            thread = new Thread(null, this::pump, name, 0, false);
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    private void pump() {
        while (true) {
            byte[] batch;
            synchronized (this) {
                while (size == 0 && !finished) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (size == 0) {
                    return; // finished and empty
                }
                batch = Arrays.copyOf(waiting, size);
                size = 0;
                writing = true;
            }
            try {
                target.write(batch);
                target.flush();
            } catch (IOException e) {
                synchronized (this) {
                    broken = true; // the client went away: what it would have read has nowhere to go
                    size = 0;
                }
            } finally {
                synchronized (this) {
                    writing = false;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Ends the pump at the session's end: says how much was dropped, if anything, and waits (at most the limit) for
     * what waits to reach the client.
     *
     * @param limit the longest wait
     */
    synchronized void finish(Duration limit) {
        if (dropped > 0 && !broken) {
            byte[] note = ("vmm: " + dropped + " bytes of output dropped (the client did not read them)\n")
                    .getBytes(StandardCharsets.UTF_8);
            append(note, 0, note.length);
        }
        finished = true;
        notifyAll();
        long deadline = System.nanoTime() + limit.toNanos();
        while ((size > 0 || writing) && !broken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
