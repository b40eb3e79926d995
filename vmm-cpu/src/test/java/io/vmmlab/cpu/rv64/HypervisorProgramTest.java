package io.vmmlab.cpu.rv64;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.cpu.testing.ElfImage;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.lui;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the bare-metal H-extension test programs ({@code src/test/htests}, built into {@code resources/htests} by
 * its Makefile) on an {@code rv64imach} hart. Each reports through the SiFive test finisher at 0x100000: 0x5555 =
 * pass, {@code step << 16 | 0x3333} = failure of that step.
 */
final class HypervisorProgramTest {
    private static final long FINISHER = 0x10_0000L;
    private static final long PASS = 0x5555;
    private static final long BUDGET = 2_000_000;

    /** Runs an image and returns what it wrote to the finisher, or -1 when it wrote nothing within the budget. */
    private static long run(TestBoard board) {
        RecordingMmioDevice finisher = new RecordingMmioDevice(0);
        board.mmio().map("finisher", new AddressRange(FINISHER, 0x1000), finisher);
        for (long done = 0; done < BUDGET && finisher.writes().isEmpty(); done += 10_000) {
            board.hart().run(10_000);
            board.time().advance(1_000);
        }
        return finisher.writes().isEmpty() ? -1 : finisher.writes().get(0).value();
    }

    private static long run(Path elf) throws IOException {
        TestBoard board = new TestBoard("rv64imach", 4 << 20);
        ElfImage image = ElfImage.read(elf);
        image.load(board.memory());
        board.hart().reset(image.entry());
        return run(board);
    }

    private static List<Path> programs() throws IOException, URISyntaxException {
        Path directory = Path.of(HypervisorProgramTest.class.getResource("/htests").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".elf")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyProgramPasses() throws IOException, URISyntaxException {
        List<Path> programs = programs();
        assertThat(programs).hasSizeGreaterThanOrEqualTo(6);
        return programs.stream().map(elf -> DynamicTest.dynamicTest(elf.getFileName().toString(), () -> {
            long result = run(elf);
            assertThat(result).as("finisher value (failing step = value >> 16)").isEqualTo(PASS);
        }));
    }

    @Test
    void aFailingProgramIsReportedWithItsStep() {
        TestBoard board = new TestBoard("rv64imach", 1 << 20);
        // t0 = 0x100000; t1 = 5 << 16 | 0x3333; sw t1, 0(t0); spin
        board.load(TestBoard.RAM_BASE, lui(5, 0x100), lui(6, 0x53), addi(6, 6, 0x333), sw(6, 5, 0), jal(0, 0));
        board.hart().reset(TestBoard.RAM_BASE);
        assertThat(run(board)).isEqualTo(5 << 16 | 0x3333);
    }
}
