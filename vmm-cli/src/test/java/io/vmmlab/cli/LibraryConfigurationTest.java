package io.vmmlab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class LibraryConfigurationTest {
    private String savedProvider;
    private String savedVerbosity;

    @BeforeEach
    void save() {
        savedProvider = System.getProperty(Vmm.SLF4J_PROVIDER_PROPERTY);
        savedVerbosity = System.getProperty(Vmm.SLF4J_VERBOSITY_PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(Vmm.SLF4J_PROVIDER_PROPERTY, savedProvider);
        restore(Vmm.SLF4J_VERBOSITY_PROPERTY, savedVerbosity);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void namesTheShippedLoggerProviderSoThatSlf4jNeedNotScanTheClasspath() {
        System.clearProperty(Vmm.SLF4J_PROVIDER_PROPERTY);
        System.clearProperty(Vmm.SLF4J_VERBOSITY_PROPERTY);

        Vmm.configureLibraries();

        String provider = System.getProperty(Vmm.SLF4J_PROVIDER_PROPERTY);
        assertThat(provider).isNotBlank();
        // A provider that is not there makes SLF4J fall back to the scan (with a warning on every run).
        assertThatCode(() -> Class.forName(provider)).doesNotThrowAnyException();
        assertThat(org.slf4j.spi.SLF4JServiceProvider.class).isAssignableFrom(classOf(provider));
        // Else SLF4J announces the named provider on standard error in every run.
        assertThat(System.getProperty(Vmm.SLF4J_VERBOSITY_PROPERTY)).isEqualTo("WARN");
    }

    @Test
    void keepsAProviderTheUserChose() {
        System.setProperty(Vmm.SLF4J_PROVIDER_PROPERTY, "com.example.OtherProvider");

        Vmm.configureLibraries();

        assertThat(System.getProperty(Vmm.SLF4J_PROVIDER_PROPERTY)).isEqualTo("com.example.OtherProvider");
    }

    private static Class<?> classOf(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
