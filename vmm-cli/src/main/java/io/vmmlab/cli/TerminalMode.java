package io.vmmlab.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Puts an interactive terminal in raw mode for the guest console (so Ctrl-C and line editing reach the guest,
 * as with QEMU's {@code -nographic}) and restores it afterwards. Does nothing when standard input is not a
 * terminal. A client of the resident host sets its own terminal's mode when the host asks ({@link #restoredBy}).
 */
final class TerminalMode implements AutoCloseable {
    private final Runnable restore;

    private TerminalMode(Runnable restore) {
        this.restore = restore;
    }

    /**
     * A mode set elsewhere, put back by an action.
     *
     * @param restore what puts the terminal back
     * @return the mode, whose close runs the action
     */
    static TerminalMode restoredBy(Runnable restore) {
        return new TerminalMode(restore);
    }

    /**
     * Puts this process's terminal in raw mode, when standard input is one.
     *
     * @return the mode, whose close restores the terminal
     */
    static TerminalMode raw() {
        if (System.console() == null) {
            return new TerminalMode(() -> { });
        }
        String saved = stty("-g");
        if (saved == null) {
            return new TerminalMode(() -> { });
        }
        stty("raw", "-echo");
        return new TerminalMode(() -> stty(saved));
    }

    @Override
    public void close() {
        restore.run();
    }

    private static String stty(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "stty";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return output;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
