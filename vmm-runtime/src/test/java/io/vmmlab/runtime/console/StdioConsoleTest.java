package io.vmmlab.runtime.console;

import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's input: each byte the user types, and Ctrl-A X, call the listener that wakes an idle machine; and its
 * output: a line the guest has not ended shows once a device looks for input.
 */
final class StdioConsoleTest {
    private final PipedOutputStream user = new PipedOutputStream();
    private final Semaphore calls = new Semaphore(0);
    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

    @Test
    void eachByteTypedIsReadableWhenTheListenerHearsOfIt() throws Exception {
        StdioConsole console = console();

        user.write('a');
        user.flush();

        assertThat(calls.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        assertThat(console.read()).isEqualTo('a');
        assertThat(console.read()).isEqualTo(-1);
        console.close();
    }

    @Test
    void ctrlAXAsksToQuitAndTellsTheListener() throws Exception {
        StdioConsole console = console();

        user.write(new byte[] {0x01, 'x'});
        user.flush();

        assertThat(calls.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        assertThat(console.quitRequested()).isTrue();
        assertThat(console.read()).as("the escape is not input").isEqualTo(-1);
        console.close();
    }

    /** A prompt the guest has not ended with a newline reaches the user once a device looks for input. */
    @Test
    void aPromptWithoutANewlineIsShownWhenADeviceLooksForInput() throws IOException {
        StdioConsole console = new StdioConsole(null, new BufferedOutputStream(shown, 8192));

        "login: ".chars().forEach(console::write);
        console.read();

        assertThat(shown.toString(StandardCharsets.US_ASCII)).isEqualTo("login: ");
    }

    private StdioConsole console() throws IOException {
        StdioConsole console = new StdioConsole(new PipedInputStream(user), shown);
        console.onInput(calls::release);
        return console;
    }
}
