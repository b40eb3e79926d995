package io.vmmlab.cli.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HostProtocolTest {
    private static final String TOKEN = "0123456789abcdef";

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void aGoodOpeningLineGivesItsKindAndValue() throws IOException {
        assertThat(HostProtocol.readOpening(stream(TOKEN + " run 3\n"), TOKEN))
                .isEqualTo(new HostProtocol.Opening("run", "3"));
        assertThat(HostProtocol.readOpening(stream(TOKEN + " err 17\n"), TOKEN))
                .isEqualTo(new HostProtocol.Opening("err", "17"));
    }

    @Test
    void theOpeningLineIsReadUpToItsNewlineAndNoFurther() throws IOException {
        InputStream in = stream(TOKEN + " run 2\n/home\0run\0");

        HostProtocol.readOpening(in, TOKEN);

        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("/home\0run\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdee", "0123456789abcde", "0123456789abcdef0", "", "0123456789ABCDEF"})
    void anotherTokenIsRejected(String token) {
        assertThatThrownBy(() -> HostProtocol.readOpening(stream(token + " run 1\n"), TOKEN))
                .isInstanceOf(IOException.class).hasMessage("wrong token");
    }

    @ParameterizedTest
    @ValueSource(strings = {TOKEN, TOKEN + " run", TOKEN + " run 1 2", "", TOKEN + " run  1", TOKEN + " run 1 "})
    void anOpeningWithoutExactlyThreeFieldsIsMalformed(String line) {
        assertThatThrownBy(() -> HostProtocol.readOpening(stream(line + "\n"), TOKEN))
                .isInstanceOf(IOException.class).hasMessage("malformed opening line");
    }

    @Test
    void anOpeningOfTheLongestLengthIsAccepted() throws IOException {
        String value = "1".repeat(HostProtocol.MAX_LINE - TOKEN.length() - " out ".length());
        String line = TOKEN + " out " + value;
        assertThat(line).hasSize(HostProtocol.MAX_LINE);

        assertThat(HostProtocol.readOpening(stream(line + "\n"), TOKEN)).isEqualTo(new HostProtocol.Opening("out", value));
    }

    @Test
    void anOpeningOneCharacterTooLongIsRejectedBeforeItsEnd() {
        String value = "1".repeat(HostProtocol.MAX_LINE + 1 - TOKEN.length() - " out ".length());
        // No newline: the limit must stop the reading, not the end of the stream.
        String endless = TOKEN + " out " + value + "1".repeat(10_000);

        assertThatThrownBy(() -> HostProtocol.readOpening(stream(endless), TOKEN))
                .isInstanceOf(IOException.class).hasMessage("malformed opening line");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x09, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0xc3, 0xff})
    void aControlOrNonAsciiByteInTheOpeningIsRejected(int value) {
        byte[] line = (TOKEN + " run 1x\n").getBytes(StandardCharsets.US_ASCII);
        line[line.length - 2] = (byte) value;

        assertThatThrownBy(() -> HostProtocol.readOpening(stream(line), TOKEN))
                .isInstanceOf(IOException.class).hasMessage("malformed opening line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", TOKEN, TOKEN + " run 1"})
    void aConnectionEndingBeforeTheNewlineIsRejected(String text) {
        assertThatThrownBy(() -> HostProtocol.readOpening(stream(text), TOKEN))
                .isInstanceOf(IOException.class).hasMessage("connection ended before its opening line");
    }

    @Test
    void stringsAreTheNulTerminatedWorkingDirectoryThenTheArguments() throws IOException {
        InputStream in = stream("/home/user\0run\0--kernel\0a b.elf\0\0rest");

        assertThat(HostProtocol.readStrings(in, "5")).containsExactly("/home/user", "run", "--kernel", "a b.elf", "");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rest");
    }

    @Test
    void stringsAreUtf8() throws IOException {
        List<String> strings = List.of("/tmp/répertoire", "日本語", "\uD83D\uDE80 rocket");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String string : strings) {
            bytes.writeBytes(string.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
        }

        assertThat(HostProtocol.readStrings(stream(bytes.toByteArray()), "3")).isEqualTo(strings);
    }

    @Test
    void theLargestCountIsAccepted() throws IOException {
        byte[] bytes = new byte[HostProtocol.MAX_STRINGS * 2];
        for (int i = 0; i < bytes.length; i += 2) {
            bytes[i] = 'a';
        }

        assertThat(HostProtocol.readStrings(stream(bytes), Integer.toString(HostProtocol.MAX_STRINGS)))
                .hasSize(HostProtocol.MAX_STRINGS).containsOnly("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "4097", "2147483647"})
    void aCountOutOfRangeIsRejected(String count) {
        assertThatThrownBy(() -> HostProtocol.readStrings(stream("/\0".repeat(5000)), count))
                .isInstanceOf(IOException.class).hasMessage("bad count: " + count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "one", "1.0", "0x10", "99999999999", " 1"})
    void aCountThatIsNotANumberIsRejected(String count) {
        assertThatThrownBy(() -> HostProtocol.readStrings(stream("/\0"), count))
                .isInstanceOf(IOException.class).hasMessage("malformed count: " + count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/home\0run\0", "/home\0run\0--kernel"})
    void aConnectionEndingBeforeTheLastStringIsRejected(String text) {
        assertThatThrownBy(() -> HostProtocol.readStrings(stream(text), "3"))
                .isInstanceOf(IOException.class).hasMessage("connection ended in the arguments");
    }

    @Test
    void stringsUpToTheByteLimitTerminatorsIncludedAreAccepted() throws IOException {
        byte[] bytes = new byte[HostProtocol.MAX_ARGUMENTS_BYTES];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = '/';
        bytes[9] = 0;
        bytes[bytes.length - 1] = 0;

        List<String> strings = HostProtocol.readStrings(stream(bytes), "2");

        assertThat(strings.get(0)).isEqualTo("/xxxxxxxx");
        assertThat(strings.get(1)).hasSize(HostProtocol.MAX_ARGUMENTS_BYTES - 11);
    }

    @Test
    void stringsOneByteOverTheLimitAreRejected() {
        byte[] bytes = new byte[HostProtocol.MAX_ARGUMENTS_BYTES + 1];
        Arrays.fill(bytes, (byte) 'x');
        bytes[9] = 0;
        bytes[bytes.length - 1] = 0;

        assertThatThrownBy(() -> HostProtocol.readStrings(stream(bytes), "2"))
                .isInstanceOf(IOException.class).hasMessage("arguments too long");
    }

    @Test
    void theByteLimitStopsAStringThatNeverEnds() {
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                served++;
                return served > 4L * HostProtocol.MAX_ARGUMENTS_BYTES ? -1 : 'x';
            }
        };

        assertThatThrownBy(() -> HostProtocol.readStrings(endless, "1"))
                .isInstanceOf(IOException.class).hasMessage("arguments too long");
    }
}
