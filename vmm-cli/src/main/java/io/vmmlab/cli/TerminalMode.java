package io.vmmlab.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Puts an interactive terminal in raw mode for the guest console (so Ctrl-C and line editing reach the guest,
 * as with QEMU's {@code -nographic}) and restores it afterwards. Does nothing when standard input is not a
 * terminal.
 */
final class TerminalMode implements AutoCloseable {
    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /**
     * Leaves the terminal as it is (its owner, such as the resident host's client, sets raw mode itself).
     *
     * @return a mode whose close does nothing
     */
    static TerminalMode none() {
        return new TerminalMode(null);
    }

    /**
     * Puts this process's terminal in raw mode, when standard input is one.
     *
     * @return the mode, whose close restores the terminal
     */
    static TerminalMode raw() {
        if (System.console() == null) {
            return new TerminalMode(null);
        }
        String saved = stty("-g");
        if (saved != null) {
            stty("raw", "-echo");
        }
        return new TerminalMode(saved);
    }

    @Override
    public void close() {
        if (saved != null) {
            stty(saved);
        }
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
