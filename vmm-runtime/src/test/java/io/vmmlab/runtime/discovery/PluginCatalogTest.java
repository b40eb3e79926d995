package io.vmmlab.runtime.discovery;

import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.TestPlugins.Alpha;
import io.vmmlab.runtime.discovery.TestPlugins.Beta;
import io.vmmlab.runtime.discovery.TestPlugins.Gamma;
import io.vmmlab.runtime.discovery.TestPlugins.Greeter;
import io.vmmlab.runtime.discovery.TestPlugins.ImpostorNative;
import io.vmmlab.runtime.discovery.TestPlugins.OtherAlpha;
import io.vmmlab.runtime.nativevm.NativeStrategyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class PluginCatalogTest {
    @TempDir
    Path directory;

    private PluginCatalog<Greeter> greeters(Class<?>... providers) throws IOException {
        try (URLClassLoader loader = TestPlugins.loaderListing(directory, Greeter.class, providers)) {
            return PluginCatalog.load("greeter", Greeter.class, Greeter::name, loader);
        }
    }

    @Test
    void findsProvidersByName() throws IOException {
        PluginCatalog<Greeter> catalog = greeters(Gamma.class, Alpha.class, Beta.class);

        assertThat(catalog.require("beta")).isInstanceOf(Beta.class);
        assertThat(catalog.contains("alpha")).isTrue();
        assertThat(catalog.contains("delta")).isFalse();
        assertThat(catalog.contains("Alpha")).isFalse();
    }

    @Test
    void listsProvidersSortedByName() throws IOException {
        PluginCatalog<Greeter> catalog = greeters(Gamma.class, Alpha.class, Beta.class);

        assertThat(catalog.all()).extracting(Greeter::name).containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void anUnknownNameListsTheAvailableOnesSorted() throws IOException {
        PluginCatalog<Greeter> catalog = greeters(Gamma.class, Alpha.class, Beta.class);

        assertThatThrownBy(() -> catalog.require("x"))
                .isInstanceOf(UnknownPluginException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown greeter 'x'; available: alpha, beta, gamma");
    }

    @Test
    void anEmptyCatalogSaysNoneAreAvailable() throws IOException {
        PluginCatalog<Greeter> catalog = greeters();

        assertThat(catalog.all()).isEmpty();
        assertThatThrownBy(() -> catalog.require("alpha"))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessage("unknown greeter 'alpha'; available: none");
    }

    @Test
    void anEmptyCatalogNamesTheArtifactOfTheBuiltInProviders() throws IOException {
        PluginCatalog<Greeter> catalog;
        try (URLClassLoader loader = TestPlugins.loaderListing(directory, Greeter.class)) {
            catalog = PluginCatalog.load("greeter", Greeter.class, Greeter::name, loader, "org.example:greeters");
        }

        assertThatThrownBy(() -> catalog.require("alpha")).isInstanceOf(UnknownPluginException.class).hasMessage(
                "unknown greeter 'alpha'; available: none (VMMLab's own are in org.example:greeters: is it on the "
                        + "class path?)");
    }

    @Test
    void refusesTwoProvidersWithTheSameNameNamingBothClasses() {
        assertThatIllegalStateException()
                .isThrownBy(() -> greeters(Alpha.class, Beta.class, OtherAlpha.class))
                .withMessage("two greeter providers are named 'alpha': %s and %s",
                        Alpha.class.getName(), OtherAlpha.class.getName());
    }

    @Test
    void aBrokenOrUnnameablePluginIsOneLineNamingIt() throws IOException {
        assertThatIllegalStateException().isThrownBy(() -> greeters(Alpha.class, TestPlugins.Spaced.class))
                .withMessage("the greeter plugin %s is broken: its name() is 'My Greeter/v2', not one word a command "
                        + "line can name (no space, comma, slash or '=')", TestPlugins.Spaced.class.getName());
        assertThat(greeters(TestPlugins.Capitalized.class).require("MyGreeter")).isNotNull(); // as before: any case
        assertThatIllegalStateException().isThrownBy(() -> greeters(TestPlugins.Nameless.class))
                .withMessage("the greeter plugin %s is broken: its name() threw java.lang.IllegalStateException: no "
                        + "name yet", TestPlugins.Nameless.class.getName());
        assertThatIllegalStateException().isThrownBy(() -> greeters(TestPlugins.Unmakeable.class))
                .withMessageStartingWith("a greeter plugin on the classpath is broken: ")
                .withMessageEndingWith("(java.lang.IllegalStateException: constructor exploded)");
    }

    @Test
    void aPluginClaimingABuiltInStrategyNameIsRefused() throws IOException {
        try (URLClassLoader loader = TestPlugins.loaderListing(directory, VirtualizationStrategyProvider.class,
                ImpostorNative.class)) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Plugins.discover(loader))
                    .withMessageStartingWith("two strategy providers are named 'native': ")
                    .withMessageContaining(NativeStrategyProvider.class.getName())
                    .withMessageContaining(ImpostorNative.class.getName());
        }
    }

    @Test
    void discoverFindsTheBuiltInNativeStrategy() {
        Plugins plugins = Plugins.discover();

        assertThat(plugins.strategies().contains("native")).isTrue();
        assertThat(plugins.strategies().require("native")).isInstanceOf(NativeStrategyProvider.class);
    }

    @Test
    void anUnknownStrategyListsNative() {
        assertThatThrownBy(() -> Plugins.discover().strategies().require("nope"))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessageStartingWith("unknown strategy 'nope'; available: ")
                .hasMessageContaining("native");
    }

    @Test
    void aProviderThatCannotBeLoadedIsAOneLineError(@TempDir Path directory) throws IOException {
        java.nio.file.Path services = java.nio.file.Files.createDirectories(directory.resolve("META-INF/services"));
        java.nio.file.Files.writeString(services.resolve(Greeter.class.getName()), "com.example.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {directory.toUri().toURL()},
                PluginCatalogTest.class.getClassLoader())) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> PluginCatalog.load("greeter", Greeter.class, Greeter::name, loader))
                    .withMessageStartingWith("a greeter plugin on the classpath is broken: ")
                    .withMessageContaining("com.example.Missing");
        }
    }
}
