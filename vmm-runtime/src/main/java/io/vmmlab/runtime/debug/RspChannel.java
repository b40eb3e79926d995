package io.vmmlab.runtime.debug;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GDB's Remote Serial Protocol framing (GDB manual, "Overview" of the remote protocol): a packet is
 * {@code $payload#cc} with {@code cc} the payload's byte sum modulo 256 in two hex digits, acknowledged with {@code +}
 * (or {@code -} to ask for it again); {@code }, {@code #}, {@code $} and {@code *} in a payload are escaped as
 * {@code }} followed by the byte XOR 0x20; a lone 0x03 byte is the user's interrupt (Ctrl-C).
 */
final class RspChannel {
    /** What {@link #receive()} returns for the interrupt byte. */
    static final String INTERRUPT = "\u0003";
    private static final int ESCAPE = '}';

    private final InputStream in;
    private final OutputStream out;

    RspChannel(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Reads the next packet, acknowledging it (asking again for one whose checksum is wrong).
     *
     * @return its payload, unescaped; {@link #INTERRUPT} for the interrupt byte; null when the debugger went away
     * @throws IOException when the connection fails
     */
    String receive() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            if (first == 0x03) {
                return INTERRUPT;
            }
            if (first != '$') {
                continue; // acknowledgements, and anything between packets
            }
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int sum = 0;
            boolean escaped = false;
            for (int value = in.read(); value != '#'; value = in.read()) {
                if (value < 0) {
                    return null;
                }
                sum += value;
                if (escaped) {
                    payload.write(value ^ 0x20);
                    escaped = false;
                } else if (value == ESCAPE) {
                    escaped = true;
                } else {
                    payload.write(value);
                }
            }
            int high = Character.digit(in.read(), 16);
            int low = Character.digit(in.read(), 16);
            if (high < 0 || low < 0 || (high << 4 | low) != (sum & 0xff)) {
                send("-");
                continue;
            }
            send("+");
            return payload.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends a packet (escaping what needs it).
     *
     * @param payload the payload, one char per byte
     * @throws IOException when the connection fails
     */
    synchronized void sendPacket(String payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length() + 4);
        frame.write('$');
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            int value = payload.charAt(i) & 0xff;
            if (value == '$' || value == '#' || value == ESCAPE || value == '*') {
                frame.write(ESCAPE);
                sum += ESCAPE;
                value ^= 0x20;
            }
            frame.write(value);
            sum += value;
        }
        frame.write('#');
        frame.write(Character.forDigit((sum >> 4) & 0xf, 16));
        frame.write(Character.forDigit(sum & 0xf, 16));
        out.write(frame.toByteArray());
        out.flush();
    }

    private synchronized void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
