package io.vmmlab.runtime.debug;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** GDB's packet framing: checksums, acknowledgements, escapes and the interrupt byte. */
final class RspChannelTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RspChannel channel(String input) {
        return new RspChannel(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), sent);
    }

    @Test
    void aPacketIsAcknowledgedAndItsPayloadReturned() throws IOException {
        assertThat(channel("+$g#67").receive()).isEqualTo("g");
        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("+");
    }

    @Test
    void aBadChecksumAsksForThePacketAgain() throws IOException {
        RspChannel channel = channel("$g#00$m0,4#fd");

        assertThat(channel.receive()).isEqualTo("m0,4");
        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("-+");
    }

    @Test
    void escapedBytesAreRestoredAndTheInterruptByteStandsAlone() throws IOException {
        // "}" followed by '#' ^ 0x20 ('\u0003') is '#'; the checksum counts the bytes as sent.
        String escaped = "X}\u0003";
        int sum = 0;
        for (char c : escaped.toCharArray()) {
            sum += c;
        }
        RspChannel channel = channel("\u0003$" + escaped + "#" + String.format("%02x", sum & 0xff));

        assertThat(channel.receive()).isEqualTo(RspChannel.INTERRUPT);
        assertThat(channel.receive()).isEqualTo("X#");
        assertThat(channel.receive()).as("the end of the connection").isNull();
    }

    @Test
    void aSentPacketCarriesItsChecksumAndEscapes() throws IOException {
        channel("").sendPacket("OK");
        channel("").sendPacket("a#b");

        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("$OK#9a$a}\u0003b#" + checksum("a}\u0003b"));
    }

    private static String checksum(String bytes) {
        int sum = 0;
        for (char c : bytes.toCharArray()) {
            sum += c;
        }
        return String.format("%02x", sum & 0xff);
    }
}
