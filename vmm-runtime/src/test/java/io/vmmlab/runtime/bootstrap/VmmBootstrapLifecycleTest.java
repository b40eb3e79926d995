package io.vmmlab.runtime.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.board.PlatformLayout;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.discovery.TestPlugins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A VM whose strategy fails after the board is built (its hypervisor cannot be made, or fails to start) still gives
 * the board back: its RAM outside the heap is released (which happens only once every device has closed), so that a caller running many VMs in one process
 * (vmm compare, a library user) does not leak a guest's RAM per failure.
 */
final class VmmBootstrapLifecycleTest {
    // What the failing strategies saw of the machine; they are made by ServiceLoader, so they report through here.
    private static final AtomicReference<Machine> SEEN = new AtomicReference<>();

    @TempDir
    Path directory;

    private URLClassLoader loader;
    private Plugins plugins;

    @BeforeEach
    void plugins() throws IOException {
        SEEN.set(null);
        loader = TestPlugins.loaderListing(directory.resolve("classes"), VirtualizationStrategyProvider.class,
                FailsToStart.class, FailsToBeMade.class);
        plugins = Plugins.discover(loader);
    }

    @AfterEach
    void closeLoader() throws IOException {
        loader.close();
    }

    @Test
    void aHypervisorThatFailsToStartLeavesTheBoardClosed() throws IOException {
        assertThatThrownBy(() -> run("failstart")).isInstanceOf(StrategyFailure.class)
                .hasMessage("running under strategy 'failstart' (" + FailsToStart.class.getName()
                        + "): java.lang.IllegalStateException: the hypervisor cannot start");

        assertReleased(SEEN.get());
    }

    @Test
    void aHypervisorThatCannotBeMadeLeavesTheBoardClosed() throws IOException {
        assertThatThrownBy(() -> run("failmake")).isInstanceOf(StrategyFailure.class)
                .hasMessageStartingWith("strategy 'failmake' (" + FailsToBeMade.class.getName() + ") could not make its "
                        + "hypervisor: ")
                .hasMessageContaining("the hypervisor cannot be made")
                .hasMessageNotContaining("explicit bindings")
                .hasMessageNotContaining("\n");

        assertReleased(SEEN.get());
    }

    private void run(String strategy) throws IOException {
        BootstrapRuns.run(plugins, directory, strategy, Optional.empty());
    }

    private static void assertReleased(Machine machine) {
        assertThat(machine).as("the strategy saw the machine").isNotNull();
        GuestMemory ram = machine.physicalMemory();
        // RAM outside the heap is what a closed board gives back (the build's tests allow it on every JDK, as the
        // launcher does; -Dvmmlab.ram=heap keeps an array, which the collector frees).
        assumeTrue(ram instanceof OffHeapRam, "RAM outside the heap");
        assertThatThrownBy(() -> ram.read64(PlatformLayout.DRAM.base())).isInstanceOf(MemoryAccessException.class);
    }

    /** A strategy whose hypervisor throws from start. */
    public static final class FailsToStart extends TestStrategyProvider {
        public FailsToStart() {
            super("failstart", "test strategy whose hypervisor fails to start", binding(new FailingHypervisor()));
        }
    }

    /** A strategy whose hypervisor's provider throws, after seeing the machine. */
    public static final class FailsToBeMade extends TestStrategyProvider {
        public FailsToBeMade() {
            super("failmake", "test strategy whose hypervisor cannot be made", spec -> new AbstractModule() {
                @Provides
                Hypervisor hypervisor(Machine machine) {
                    SEEN.set(machine);
                    throw new IllegalStateException("the hypervisor cannot be made");
                }
            });
        }
    }

    private static final class FailingHypervisor implements Hypervisor {
        @Override
        public void start(Machine machine, BootInfo boot) {
            SEEN.set(machine);
            throw new IllegalStateException("the hypervisor cannot start");
        }

        @Override
        public ExitAction handleExit(Hart hart, HartExit exit) {
            throw new AssertionError("never started");
        }
    }
}
