package io.vmmlab.runtime.console;

import io.vmmlab.api.device.HostConsole;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The guest console on the host's standard streams. Output is flushed on newline and whenever a device looks for
 * input (the UART does at every device poll, so a prompt the guest has not ended with a newline shows at once, as C's
 * stdio flushes an interactive stdout before it reads stdin); input is read by a daemon thread into a bounded queue so
 * harts never block.
 * The escape sequence Ctrl-A X, as in QEMU, asks the machine to quit. Each byte (and the quit) calls the input
 * listener, which wakes an idle machine.
 */
public final class StdioConsole implements HostConsole {
    private static final int CTRL_A = 0x01;

    private final OutputStream out;
    private final BlockingQueue<Integer> input = new ArrayBlockingQueue<>(4096);
    private final Thread reader;
    private volatile boolean quitRequested;
    private volatile Runnable inputListener = () -> { };
    // Written since the last flush (guest output and reads come from the run loop's thread).
    private boolean unflushed;

    /**
     * Creates the console.
     *
     * @param in where the user's keystrokes come from, or null for no input
     * @param out where guest output goes
     */
    public StdioConsole(InputStream in, OutputStream out) {
        this.out = out;
        if (in != null) {
            reader = new Thread(() -> pump(in), "vmm-console-input");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    private void pump(InputStream in) {
        boolean escape = false;
        try {
            for (int value = in.read(); value >= 0; value = in.read()) {
                if (escape) {
                    escape = false;
                    if (value == 'x' || value == 'X') {
                        quitRequested = true;
                        inputListener.run();
                        return;
                    }
                    if (value != CTRL_A) {
                        input.put(CTRL_A);
                    }
                } else if (value == CTRL_A) {
                    escape = true;
                    continue;
                }
                input.put(value);
                inputListener.run();
            }
        } catch (IOException e) {
            // The input stream closed or failed: the guest simply gets no more input.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(int value) {
        try {
            out.write(value);
            unflushed = value != '\n';
            if (!unflushed) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write guest console output", e);
        }
    }

    @Override
    public int read() {
        if (unflushed) {
            flush();
        }
        Integer value = input.poll();
        return value == null ? -1 : value;
    }

    @Override
    public void onInput(Runnable listener) {
        inputListener = Objects.requireNonNull(listener, "listener is null");
    }

    /** Flushes pending output. */
    public void flush() {
        unflushed = false;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write guest console output", e);
        }
    }

    /**
     * Tells whether the user typed Ctrl-A X.
     *
     * @return true once the user asked to quit
     */
    public boolean quitRequested() {
        return quitRequested;
    }

    /**
     * Stops reading input: a reader blocked on a full queue (a guest that reads no input, given a long one) ends
     * instead of staying parked for the rest of the JVM's life. A reader blocked reading the stream itself ends when
     * the stream does.
     */
    public void close() {
        if (reader != null) {
            reader.interrupt();
        }
    }
}
