package io.vmmlab.cli.host;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * What a client of the resident host hands its command: its working directory, its standard streams (connections
 * back to the client), and whether it is still there.
 */
public interface ClientStreams {
    /**
     * The client's working directory.
     *
     * @return an absolute path
     */
    Path directory();

    /**
     * The client's standard input.
     *
     * @return the stream (end of stream when the client's input ends)
     */
    InputStream in();

    /**
     * The client's standard output.
     *
     * @return the stream
     */
    OutputStream out();

    /**
     * The client's standard error.
     *
     * @return the stream
     */
    OutputStream err();

    /**
     * Tells whether the client went away (killed, or its connection closed) before the command ended.
     *
     * @return true once nobody waits for the result
     */
    boolean abandoned();

    /**
     * Asks the client to put its terminal in raw mode for a guest's console, or back, and waits (briefly) until it
     * has; a client without a terminal just answers.
     *
     * @param raw true for raw mode, false to restore the terminal
     */
    void terminalMode(boolean raw);
}
