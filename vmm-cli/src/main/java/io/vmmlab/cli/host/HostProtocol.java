package io.vmmlab.cli.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client sends the resident host. Every connection opens with one line, {@code TOKEN KIND VALUE}:
 * <ul>
 *   <li>{@code run COUNT}: a command. COUNT strings follow, each ended by a NUL byte: the working directory, then
 *       the arguments. The host answers with the session's id on a line, and at the end with {@code exit CODE}.</li>
 *   <li>{@code out ID}, {@code err ID}, {@code in ID}: the session's standard output, error and input, one
 *       connection each (the host writes to the first two and reads the third).</li>
 * </ul>
 * A connection whose token is wrong, or whose opening is malformed or too long, is closed unanswered.
 */
final class HostProtocol {
    /** The longest opening line. */
    static final int MAX_LINE = 256;
    /** The most bytes of working directory and arguments together. */
    static final int MAX_ARGUMENTS_BYTES = 1 << 20;
    /** The most strings a command may send (working directory included). */
    static final int MAX_STRINGS = 4096;

    /** The opening line of a connection. */
    record Opening(String kind, String value) {
    }

    private HostProtocol() {
    }

    /**
     * Reads and checks the opening line.
     *
     * @param in the connection
     * @param token the host's secret
     * @return the opening
     * @throws IOException when the line is missing, too long, malformed, or carries another token
     */
    static Opening readOpening(InputStream in, String token) throws IOException {
        String[] fields = readLine(in).split(" ", -1);
        if (fields.length != 3) {
            throw new IOException("malformed opening line");
        }
        if (!MessageDigest.isEqual(fields[0].getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException("wrong token");
        }
        return new Opening(fields[1], fields[2]);
    }

    /**
     * Reads the strings of a {@code run} opening.
     *
     * @param in the connection
     * @param count how many strings, from the opening line
     * @return the strings: the working directory, then the arguments
     * @throws IOException when the count is wrong or the connection ends early
     */
    static List<String> readStrings(InputStream in, String count) throws IOException {
        int expected;
        try {
            expected = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IOException("malformed count: " + count);
        }
        if (expected < 1 || expected > MAX_STRINGS) {
            throw new IOException("bad count: " + count);
        }
        List<String> strings = new ArrayList<>(expected);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int total = 0;
        while (strings.size() < expected) {
            int value = in.read();
            if (value < 0) {
                throw new IOException("connection ended in the arguments");
            }
            if (++total > MAX_ARGUMENTS_BYTES) {
                throw new IOException("arguments too long");
            }
            if (value == 0) {
                strings.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(value);
            }
        }
        return strings;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int value = in.read(); value != '\n'; value = in.read()) {
            if (value < 0) {
                throw new IOException("connection ended before its opening line");
            }
            if (line.length() == MAX_LINE || value < 0x20 || value > 0x7e) {
                throw new IOException("malformed opening line");
            }
            line.append((char) value);
        }
        return line.toString();
    }
}
