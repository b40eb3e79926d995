package io.vmmlab.cpu.testing;

import io.vmmlab.cpu.translate.TranslatorConfig;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.rv64.Rv64Hart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test helper: runs one riscv-tests ELF (HTIF {@code tohost} protocol) on a fresh hart and reports the outcome.
 * {@link #main} runs a whole directory and prints a summary.
 */
public final class RiscvTestRunner {
    /** Where the prebuilt riscv-tests live unless {@code -Driscv.tests.dir} says otherwise. */
    public static final String DEFAULT_DIRECTORY = "/work/ext/riscv-tests/isa";
    private static final long MAX_INSTRUCTIONS = 50_000_000L;
    private static final int CHUNK = 10_000;

    private RiscvTestRunner() {
    }

    /**
     * Lists the rv64 test ELFs of a directory (rv64ui/um/ua/uc/uf/ud/uzba/uzbb/uzbc/uzbs -p/-v, rv64si-p, rv64mi-p).
     *
     * @param directory the riscv-tests isa directory
     * @return sorted paths
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> tests(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().matches("rv64(ui|um|ua|uc|uf|ud|uzba|uzbb|uzbc|uzbs|si|mi)-[pv]-[^.]+"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Runs one test.
     *
     * @param elf the test binary
     * @return the outcome
     * @throws IOException when the file cannot be read
     */
    public static Outcome run(Path elf) throws IOException {
        return run(elf, null);
    }

    /**
     * Runs one test on the given engine.
     *
     * @param elf the test binary
     * @param translator translator settings, or null for the interpreter alone
     * @return the outcome
     * @throws IOException when the file cannot be read
     */
    public static Outcome run(Path elf, TranslatorConfig translator) throws IOException {
        ElfImage image = ElfImage.read(elf);
        TestBoard board = new TestBoard(isa(elf), 64 << 20, translator);
        image.load(board.memory());
        Rv64Hart hart = board.hart();
        hart.reset(image.entry());
        long tohost = image.symbol("tohost");
        if (tohost < 0) {
            throw new IllegalArgumentException(elf + " has no tohost symbol");
        }
        while (hart.instructionsRetired() < MAX_INSTRUCTIONS) {
            HartExit exit = hart.run(CHUNK);
            board.time().advance(CHUNK / 10);
            long value = board.memory().read64(tohost);
            if (value != 0) {
                return new Outcome(elf.getFileName().toString(), value == 1, value >>> 1, hart.instructionsRetired(),
                        exit.toString());
            }
            if (exit == HartExit.TRAP) {
                return new Outcome(elf.getFileName().toString(), false, -1, hart.instructionsRetired(),
                        "unexpected exit " + exit + " " + hart.pendingTrap());
            }
        }
        return new Outcome(elf.getFileName().toString(), false, -1, hart.instructionsRetired(),
                String.format("timeout at pc 0x%x", hart.pc()));
    }

    /**
     * Returns the ISA a test runs on: rv64imafdc for the F and D tests (rv64uf, rv64ud), rv64imac_zba_zbb_zbc_zbs for
     * the bit-manipulation ones (rv64uzba, rv64uzbb, rv64uzbc, rv64uzbs), the default rv64imac for the
     * others, so that they run exactly as before F and D existed.
     *
     * @param elf the test binary
     * @return the ISA string
     */
    public static String isa(Path elf) {
        String name = elf.getFileName().toString();
        return name.matches("rv64u[fd]-.*") ? "rv64imafdc"
                : name.matches("rv64uzb[abcs]-.*") ? "rv64imac_zba_zbb_zbc_zbs" : "rv64imac";
    }

    /**
     * Runs every test and prints one line per failure plus a summary.
     *
     * @param arguments optional directory, optional name filter (regular expression)
     * @throws IOException when files cannot be read
     */
    public static void main(String[] arguments) throws IOException {
        Path directory = Path.of(arguments.length > 0 ? arguments[0] : DEFAULT_DIRECTORY);
        String filter = arguments.length > 1 ? arguments[1] : ".*";
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (Path test : tests(directory)) {
            if (!test.getFileName().toString().matches(filter)) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = run(test);
            } catch (RuntimeException e) {
                outcome = new Outcome(test.getFileName().toString(), false, -1, 0, e.toString());
            }
            if (outcome.passed()) {
                passed++;
            } else {
                failures.add(outcome.toString());
            }
        }
        failures.forEach(System.out::println);
        if (System.getProperty("verbose") != null) {
            System.out.println("(verbose)");
        }
        System.out.printf("riscv-tests: %d passed, %d failed%n", passed, failures.size());
    }

    /**
     * What one test did.
     *
     * @param name test name
     * @param passed true when tohost was 1
     * @param failedCase the failing test case number, or -1
     * @param instructions instructions retired
     * @param detail how the run ended
     */
    public record Outcome(String name, boolean passed, long failedCase, long instructions, String detail) {
        @Override
        public String toString() {
            return String.format("%s: %s case=%d instructions=%d %s", name, passed ? "PASS" : "FAIL", failedCase,
                    instructions, detail);
        }
    }
}
