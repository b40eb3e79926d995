package io.vmmlab.cli.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
final class OutputPumpTest {
    private final ByteArrayOutputStream client = new ByteArrayOutputStream();

    @Test
    void whatIsWrittenReachesTheClientByTheEnd() {
        OutputPump pump = new OutputPump(client, "test-pump");

        pump.write("hello ".getBytes(StandardCharsets.UTF_8), 0, 6);
        pump.write('!');
        pump.finish(Duration.ofSeconds(5));

        assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo("hello !");
    }

    @Test
    void beyondItsCapacityOutputIsDroppedAndTheCountSaidAtTheEnd() {
        OutputPump pump = new OutputPump(client, "test-pump");

        pump.write(new byte[OutputPump.CAPACITY + 5], 0, OutputPump.CAPACITY + 5);
        pump.finish(Duration.ofSeconds(5));

        assertThat(client.size()).isGreaterThanOrEqualTo(OutputPump.CAPACITY);
        assertThat(client.toString(StandardCharsets.UTF_8))
                .endsWith("vmm: 5 bytes of output dropped (the client did not read them)\n");
    }

    @Test
    void aClientThatIsGoneCostsTheWriterNothing() {
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int value) throws IOException {
                throw new IOException("gone");
            }
        };
        OutputPump pump = new OutputPump(gone, "test-pump");
        long start = System.nanoTime();

        for (int i = 0; i < 1000; i++) {
            pump.write(new byte[4096], 0, 4096);
        }
        pump.finish(Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a client that is gone")
                .isLessThan(Duration.ofSeconds(5));
    }
}
