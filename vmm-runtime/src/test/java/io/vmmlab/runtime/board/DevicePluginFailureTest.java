package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.discovery.TestPlugins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A device plugin's bugs are named as the device's own, in one line, wherever they happen. */
final class DevicePluginFailureTest {
    @TempDir
    Path directory;

    private URLClassLoader loader;
    private Plugins plugins;

    @BeforeEach
    void plugins() throws IOException {
        loader = TestPlugins.loaderListing(directory.resolve("classes"), DeviceProvider.class, Throws.class,
                MakesNothing.class, Trespasses.class, CannotDescribe.class);
        plugins = Plugins.discover(loader);
    }

    @AfterEach
    void closeLoader() throws IOException {
        loader.close();
    }

    private void build(String kind) throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[4096]);
        VmSpec spec = new VmSpec("native", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 8L << 20,
                Optional.of(kernel), Optional.empty(), "", "none", List.of(new DeviceSpec(kind, Map.of())), 0,
                Duration.ZERO, true);
        new BoardBuilder(plugins).build(spec, spec.isa(), 0, new RecordingConsole()).close();
    }

    @Test
    void aProviderThatThrowsOrMakesNothingIsNamed() {
        assertThatThrownBy(() -> build("throws")).isInstanceOf(PluginFailure.class)
                .hasMessage("device 'throws0' (" + Throws.class.getName() + ") could not be made: "
                        + "java.lang.IllegalStateException: create exploded");
        assertThatThrownBy(() -> build("nothing")).isInstanceOf(PluginFailure.class)
                .hasMessage("device 'nothing0' (" + MakesNothing.class.getName() + ") could not be made: its "
                        + "provider returned null");
    }

    @Test
    void aDeviceOutsideItsWindowOrThatCannotDescribeItselfIsNamed() {
        assertThatThrownBy(() -> build("trespasses")).isInstanceOf(PluginFailure.class)
                .hasMessageStartingWith("device 'trespasses0' (" + Trespasses.class.getName() + ") claims ")
                .hasMessageContaining("outside the window the board gave it");
        assertThatThrownBy(() -> build("nodescription")).isInstanceOf(PluginFailure.class)
                .hasMessageStartingWith("device 'nodescription0' (")
                .hasMessageEndingWith("could not describe itself in the device tree: java.lang.IllegalStateException: "
                        + "no tree");
    }

    /** A device of the given window whose describe() may throw. */
    private static Device device(DeviceContext context, AddressRange range, boolean describes) {
        return new Device() {
            @Override
            public String name() {
                return context.instanceName();
            }

            @Override
            public AddressRange range() {
                return range;
            }

            @Override
            public void describe(DeviceTreeWriter tree) {
                if (!describes) {
                    throw new IllegalStateException("no tree");
                }
            }

            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
    }

    /** A provider named by kind, whose create() the subclass decides. */
    private abstract static class Provider implements DeviceProvider {
        private final String kind;

        Provider(String kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return kind;
        }

        @Override
        public String description() {
            return "a test device that goes wrong";
        }
    }

    public static final class Throws extends Provider {
        public Throws() {
            super("throws");
        }

        @Override
        public Device create(DeviceContext context, DeviceSpec spec) {
            throw new IllegalStateException("create exploded");
        }
    }

    public static final class MakesNothing extends Provider {
        public MakesNothing() {
            super("nothing");
        }

        @Override
        public Device create(DeviceContext context, DeviceSpec spec) {
            return null;
        }
    }

    public static final class Trespasses extends Provider {
        public Trespasses() {
            super("trespasses");
        }

        @Override
        public Device create(DeviceContext context, DeviceSpec spec) {
            return device(context, new AddressRange(0x8000_0000L, 0x1000), true); // over RAM
        }
    }

    public static final class CannotDescribe extends Provider {
        public CannotDescribe() {
            super("nodescription");
        }

        @Override
        public Device create(DeviceContext context, DeviceSpec spec) {
            return device(context, context.range(), false);
        }
    }
}
