package io.vmmlab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryConfigurationTest {
    // Every property configureLibraries may set, restored after each test for the other tests of this JVM.
    private static final List<String> PROPERTIES = List.of(Vmm.SLF4J_PROVIDER_PROPERTY, Vmm.SLF4J_VERBOSITY_PROPERTY,
            "guice_bytecode_gen_option", "org.slf4j.simpleLogger.defaultLogLevel");

    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        for (String property : PROPERTIES) {
            saved.put(property, System.getProperty(property));
        }
    }

    @AfterEach
    void restore() {
        for (String property : PROPERTIES) {
            String value = saved.get(property);
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
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
        assertThat(org.slf4j.spi.SLF4JServiceProvider.class).isAssignableFrom(classOf(provider));
        // Else SLF4J announces the named provider on standard error in every run.
        assertThat(System.getProperty(Vmm.SLF4J_VERBOSITY_PROPERTY)).isEqualTo("WARN");
    }

    @Test
    void keepsAProviderTheUserChoseWithoutItsNotice() {
        System.setProperty(Vmm.SLF4J_PROVIDER_PROPERTY, "com.example.OtherProvider");
        System.clearProperty(Vmm.SLF4J_VERBOSITY_PROPERTY);

        Vmm.configureLibraries();

        assertThat(System.getProperty(Vmm.SLF4J_PROVIDER_PROPERTY)).isEqualTo("com.example.OtherProvider");
        assertThat(System.getProperty(Vmm.SLF4J_VERBOSITY_PROPERTY)).isEqualTo("WARN");
    }

    @Test
    void keepsAVerbosityTheUserChose() {
        System.setProperty(Vmm.SLF4J_VERBOSITY_PROPERTY, "DEBUG");

        Vmm.configureLibraries();

        assertThat(System.getProperty(Vmm.SLF4J_VERBOSITY_PROPERTY)).isEqualTo("DEBUG");
    }

    private static Class<?> classOf(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
