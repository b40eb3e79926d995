package io.vmmlab.cpu.rv64;

import io.vmmlab.cpu.testing.RiscvTestRunner;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance: the public riscv-tests (rv64ui/um/ua/uc -p and -v, rv64si-p, rv64mi-p on rv64imac; rv64uf/ud -p and
 * -v on rv64imafdc; rv64uzba/uzbb/uzbc/uzbs -p and -v on rv64imac_zba_zbb_zbc_zbs) on a bare hart with
 * TrapInterception.NONE, reporting through HTIF {@code tohost}. Run with
 * {@code mvn -pl vmm-cpu test -Dtest=RiscvTestsIT -Dsurefire.failIfNoSpecifiedTests=false}; the binaries are
 * looked up in {@code -Driscv.tests.dir} (default /work/ext/riscv-tests/isa). Each test also runs on the
 * translating engine, which must end the same way after the same number of instructions.
 */
final class RiscvTestsIT {

    @TestFactory
    Stream<DynamicTest> riscvTests() throws IOException {
        Path directory = Path.of(System.getProperty("riscv.tests.dir", RiscvTestRunner.DEFAULT_DIRECTORY));
        assumeTrue(Files.isDirectory(directory), "riscv-tests not built at " + directory);
        List<Path> tests = RiscvTestRunner.tests(directory);
        return tests.stream().map(test -> DynamicTest.dynamicTest(test.getFileName().toString(), () -> {
            RiscvTestRunner.Outcome outcome = RiscvTestRunner.run(test);
            assertThat(outcome.passed()).as(outcome.toString()).isTrue();
        }));
    }

    /**
     * Both engines on every test: the translator (translating each block on its first execution) must pass too,
     * with the interpreter's exact instruction count and ending.
     */
    @TestFactory
    Stream<DynamicTest> translatorMatchesTheInterpreter() throws IOException {
        Path directory = Path.of(System.getProperty("riscv.tests.dir", RiscvTestRunner.DEFAULT_DIRECTORY));
        assumeTrue(Files.isDirectory(directory), "riscv-tests not built at " + directory);
        return RiscvTestRunner.tests(directory).stream().map(test -> DynamicTest.dynamicTest(
                test.getFileName().toString(), () -> {
                    RiscvTestRunner.Outcome interpreted = RiscvTestRunner.run(test);
                    RiscvTestRunner.Outcome translated = RiscvTestRunner.run(test, new TranslatorConfig(0, 8192));
                    assertThat(translated).isEqualTo(interpreted);
                }));
    }
}
