package io.vmmlab.cli;

import io.vmmlab.cli.args.UsageException;
import io.vmmlab.runtime.loader.ImageException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

final class ErrorHandlerTest {
    private final StringWriter err = new StringWriter();
    private final ErrorHandler handler = new ErrorHandler(new PrintWriter(err, true));

    @Test
    void badInputIsOneLineAndExitsTwo() {
        assertThat(handler.handle(new UsageException("Unknown option: '--frob'"))).isEqualTo(ExitCodes.USAGE);
        assertThat(handler.handle(new IllegalArgumentException("bad size '12X'"))).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString().lines()).containsExactly("vmm: Unknown option: '--frob'", "vmm: bad size '12X'");
    }

    @Test
    void aNewlineOrControlCharacterTheUserGaveStaysOnTheOneLine() {
        handler.handle(new ImageException("/tmp/no\nsuch: no such file"));
        handler.handle(new IllegalArgumentException("bad size '1\u001b[2J'"));

        assertThat(err.toString().lines()).containsExactly("vmm: /tmp/no\\nsuch: no such file",
                "vmm: bad size '1\\u001b[2J'");
    }

    @Test
    void aMissingPluginClassOrAFailedAssertionIsAnInternalErrorOnOneLine() {
        assertThat(handler.handleError(new NoClassDefFoundError("lib/Util"))).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(handler.handleError(new AssertionError("plugin bug"))).isEqualTo(ExitCodes.INTERNAL_ERROR);

        assertThat(err.toString().lines()).containsExactly("vmm: internal error: java.lang.NoClassDefFoundError: "
                + "lib/Util (a class of the plugin, or of a library it needs, is missing, failed to initialize or was "
                + "built for a newer Java: VMM_CLASSPATH lists the jars)",
                "vmm: internal error: java.lang.AssertionError: plugin bug");
    }

    @Test
    void aBadImageIsAUsageError() {
        ImageException exception = new ImageException("kernel.elf: no such file");

        assertThat(handler.handle(exception)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("vmm: kernel.elf: no such file");
    }

    @Test
    void anythingElseIsAnInternalErrorWithoutAStackTrace() {
        assertThat(handler.handle(new IllegalStateException("boom"))).isEqualTo(ExitCodes.INTERNAL_ERROR);

        assertThat(err.toString().lines())
                .containsExactly("vmm: internal error: java.lang.IllegalStateException: boom");
    }

    @Test
    void runningOutOfMemoryIsAnInternalErrorWithAHintAndNoStackTrace() {
        assertThat(handler.handle(new OutOfMemoryError("Java heap space"))).isEqualTo(ExitCodes.INTERNAL_ERROR);

        assertThat(err.toString().lines()).containsExactly("vmm: internal error: java.lang.OutOfMemoryError: Java "
                + "heap space (VMM_JAVA_OPTS sets the JVM's limits, such as -Xmx or -Xss)");
    }
}
