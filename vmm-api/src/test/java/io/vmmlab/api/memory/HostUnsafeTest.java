package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

final class HostUnsafeTest {
    /** Only JDKs before 23, and later ones started with --sun-misc-unsafe-memory-access=allow, qualify. */
    @Test
    void permittedWhereTheJvmAllowsItQuietly() {
        assertThat(HostUnsafe.permitted(17, null)).isTrue();
        assertThat(HostUnsafe.permitted(22, null)).isTrue();
        assertThat(HostUnsafe.permitted(23, null)).isFalse();
        assertThat(HostUnsafe.permitted(25, "warn")).isFalse();
        assertThat(HostUnsafe.permitted(25, "deny")).isFalse();
        assertThat(HostUnsafe.permitted(25, "allow")).isTrue();
    }

    /** Without the jdk.unsupported module the class still loads and says no (callers need not catch anything). */
    @Test
    void aJvmWithoutJdkUnsupportedIsToldNoWithoutAnError() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--limit-modules", "java.base", "-cp",
                System.getProperty("java.class.path"), HostUnsafeProbe.class.getName()).redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertThat(output).isEqualTo("usable=false");
        assertThat(child.exitValue()).isZero();
    }
}
