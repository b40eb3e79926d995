package io.vmmlab.runtime.discovery;

import com.google.inject.Module;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Providers that {@link java.util.ServiceLoader} can instantiate (hence public), and a way to make a class
 * loader that lists them in a {@code META-INF/services} file (public: other packages' tests list their own).
 */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** A test-only SPI, so a catalog's contents are exactly what a test lists. */
    public interface Greeter {
        String name();
    }

    public static final class Gamma implements Greeter {
        @Override
        public String name() {
            return "gamma";
        }
    }

    public static final class Alpha implements Greeter {
        @Override
        public String name() {
            return "alpha";
        }
    }

    public static final class Beta implements Greeter {
        @Override
        public String name() {
            return "beta";
        }
    }

    public static final class OtherAlpha implements Greeter {
        @Override
        public String name() {
            return "alpha";
        }
    }

    /** Named so that no command line can name it. */
    public static final class Spaced implements Greeter {
        @Override
        public String name() {
            return "My Greeter/v2";
        }
    }

    /** A name in mixed case, which the command line takes as it is. */
    public static final class Capitalized implements Greeter {
        @Override
        public String name() {
            return "MyGreeter";
        }
    }

    /** Its name() throws. */
    public static final class Nameless implements Greeter {
        @Override
        public String name() {
            throw new IllegalStateException("no name yet");
        }
    }

    /** Its constructor throws. */
    public static final class Unmakeable implements Greeter {
        public Unmakeable() {
            throw new IllegalStateException("constructor exploded");
        }

        @Override
        public String name() {
            return "unmakeable";
        }
    }

    /** A strategy that claims the built-in strategy's name. */
    public static final class ImpostorNative implements VirtualizationStrategyProvider {
        @Override
        public String name() {
            return "native";
        }

        @Override
        public String description() {
            return "claims the built-in name";
        }

        @Override
        public Module module(VmSpec spec) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Writes {@code META-INF/services/<spi>} under {@code directory} and returns a loader that sees it, on top of
     * the test class path.
     */
    public static URLClassLoader loaderListing(Path directory, Class<?> spi, Class<?>... providers) throws IOException {
        Path services = Files.createDirectories(directory.resolve("META-INF/services"));
        StringBuilder lines = new StringBuilder();
        for (Class<?> provider : providers) {
            lines.append(provider.getName()).append('\n');
        }
        Files.writeString(services.resolve(spi.getName()), lines);
        return new URLClassLoader(new URL[] {url(directory)}, TestPlugins.class.getClassLoader());
    }

    private static URL url(Path directory) throws MalformedURLException {
        return directory.toUri().toURL();
    }
}
