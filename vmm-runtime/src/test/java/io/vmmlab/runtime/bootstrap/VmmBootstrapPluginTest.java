package io.vmmlab.runtime.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.discovery.TestPlugins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a third-party strategy meets: the spec it is handed is the one that runs (default technique filled in, the
 * harts' ISA), and the usual mistakes in its Guice module are one line naming the strategy, not Guice's report.
 */
final class VmmBootstrapPluginTest {
    // The specs the strategies were handed; they are made by ServiceLoader, so they report through here.
    private static final List<VmSpec> SEEN = new ArrayList<>();

    @TempDir
    Path directory;

    private URLClassLoader loader;
    private Plugins plugins;

    @BeforeEach
    void plugins() throws IOException {
        SEEN.clear();
        loader = TestPlugins.loaderListing(directory.resolve("classes"), VirtualizationStrategyProvider.class,
                Recording.class, UnboundHelper.class, NoBinding.class, ModuleThrows.class, ExitThrows.class,
                StartMissesAClass.class, TechniquesThrow.class, StartParses.class);
        plugins = Plugins.discover(loader);
    }

    @AfterEach
    void closeLoader() throws IOException {
        loader.close();
    }

    @Test
    void theStrategySeesItsDefaultTechniqueAndTheHartsIsa() throws IOException {
        run("recording", Optional.empty());

        assertThat(SEEN).hasSize(3); // vmmMemoryBytes, module, and the injected spec
        assertThat(SEEN).allSatisfy(spec -> {
            assertThat(spec.technique()).contains("first");
            assertThat(spec.isa().has('h')).as("H added for the strategy's requirement").isTrue();
        });
    }

    @Test
    void aTechniqueTheUserNamedIsKept() throws IOException {
        run("recording", Optional.of("second"));

        assertThat(SEEN).extracting(VmSpec::technique).containsOnly(Optional.of("second"));
    }

    @Test
    void anUnboundDependencyIsOneLineNamingTheStrategy() {
        assertThatThrownBy(() -> run("unboundhelper", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessageStartingWith("strategy 'unboundhelper' (" + UnboundHelper.class.getName()
                        + ") cannot be wired: ")
                .hasMessageContaining("Helper")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aModuleThatBindsNoHypervisorIsOneLineNamingTheStrategy() {
        assertThatThrownBy(() -> run("nobinding", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessageStartingWith("strategy 'nobinding' (" + NoBinding.class.getName() + ") cannot be wired: ")
                .hasMessageContaining("Hypervisor")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aModuleThatThrowsIsOneLineNamingTheStrategy() {
        assertThatThrownBy(() -> run("modulethrows", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessage("strategy 'modulethrows' (" + ModuleThrows.class.getName() + ") could not make its "
                        + "module: java.lang.IllegalStateException: module() exploded");
    }

    /**
     * An IllegalArgumentException from a hypervisor's exit handling is its bug, not the user's mistake (only start()
     * refuses a VM as given with one): an internal error naming the strategy.
     */
    @Test
    void anIllegalArgumentFromTheRunIsTheStrategysBug() {
        assertThatThrownBy(() -> run("exitthrows", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessage("running under strategy 'exitthrows' (" + ExitThrows.class.getName() + "): "
                        + "java.lang.NumberFormatException: For input string: \"oops\"");
    }

    /** A plugin whose library is missing from the class path: named, with a hint, not a stack trace. */
    @Test
    void aMissingClassIsOneLineNamingTheStrategyWithAHint() {
        assertThatThrownBy(() -> run("missesaclass", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessageStartingWith("running under strategy 'missesaclass' (" + StartMissesAClass.class.getName()
                        + "): java.lang.NoClassDefFoundError: lib/Util (a class of the plugin")
                .hasMessageContaining("VMM_CLASSPATH");
    }

    @Test
    void aStrategyThatFailsToSayWhatItIsIsNamed() {
        assertThatThrownBy(() -> run("techniquesthrow", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessage("strategy 'techniquesthrow' (" + TechniquesThrow.class.getName() + "): its techniques() "
                        + "failed: java.lang.IllegalStateException: techniques() exploded");
    }

    /** A NumberFormatException is an IllegalArgumentException, but never a deliberate refusal of the user's VM. */
    @Test
    void aNumberTheStrategyCannotParseInStartIsItsBug() {
        assertThatThrownBy(() -> run("startparses", Optional.empty())).isInstanceOf(StrategyFailure.class)
                .hasMessage("running under strategy 'startparses' (" + StartParses.class.getName() + "): "
                        + "java.lang.NumberFormatException: For input string: \"oops\"");
    }

    private void run(String strategy, Optional<String> technique) throws IOException {
        BootstrapRuns.run(plugins, directory, strategy, technique);
    }

    /** Two techniques, needs the H extension, and notes every spec it is handed. */
    public static final class Recording extends TestStrategyProvider {
        public Recording() {
            super("recording", "test strategy that records its spec", spec -> {
                SEEN.add(spec);
                return binding(SpecRecordingHypervisor.class).apply(spec);
            });
        }

        @Override
        public Set<BoardRequirement> requirements() {
            return Set.of(BoardRequirement.HYPERVISOR_EXTENSION);
        }

        @Override
        public List<String> techniques() {
            return List.of("first", "second");
        }

        @Override
        public long vmmMemoryBytes(VmSpec spec) {
            SEEN.add(spec);
            return 0;
        }
    }

    /** Its hypervisor injects a class nobody binds (the runtime requires explicit bindings). */
    public static final class UnboundHelper extends TestStrategyProvider {
        public UnboundHelper() {
            super("unboundhelper", "test strategy injecting an unbound class", binding(NeedsHelper.class));
        }
    }

    /** Its module binds nothing. */
    public static final class NoBinding extends TestStrategyProvider {
        public NoBinding() {
            super("nobinding", "test strategy whose module binds nothing", spec -> new AbstractModule() {
            });
        }
    }

    /** Its module() throws. */
    public static final class ModuleThrows extends TestStrategyProvider {
        public ModuleThrows() {
            super("modulethrows", "test strategy whose module() throws", spec -> {
                throw new IllegalStateException("module() exploded");
            });
        }
    }

    /** Its hypervisor parses a bad number when the run loop asks it whether the hart runs. */
    public static final class ExitThrows extends TestStrategyProvider {
        public ExitThrows() {
            super("exitthrows", "test strategy whose exit handling throws", binding(new Hypervisor() {
                @Override
                public void start(Machine machine, BootInfo boot) {
                }

                @Override
                public ExitAction handleExit(Hart hart, HartExit exit) {
                    return ExitAction.STOP;
                }

                @Override
                public boolean isRunnable(Hart hart) { // asked by the run loop before each slice
                    return Integer.parseInt("oops") > 0;
                }
            }));
        }
    }

    /** Its hypervisor's start() needs a class that is not on the class path. */
    public static final class StartMissesAClass extends TestStrategyProvider {
        public StartMissesAClass() {
            super("missesaclass", "test strategy missing a library", binding(new Hypervisor() {
                @Override
                public void start(Machine machine, BootInfo boot) {
                    throw new NoClassDefFoundError("lib/Util");
                }

                @Override
                public ExitAction handleExit(Hart hart, HartExit exit) {
                    return ExitAction.STOP;
                }
            }));
        }
    }

    /** Its techniques() throws. */
    public static final class TechniquesThrow extends TestStrategyProvider {
        public TechniquesThrow() {
            super("techniquesthrow", "test strategy whose techniques() throws", binding(SpecRecordingHypervisor.class));
        }

        @Override
        public List<String> techniques() {
            throw new IllegalStateException("techniques() exploded");
        }
    }

    /** Its start() parses a bad number. */
    public static final class StartParses extends TestStrategyProvider {
        public StartParses() {
            super("startparses", "test strategy whose start() parses a bad number", binding(new Hypervisor() {
                @Override
                public void start(Machine machine, BootInfo boot) {
                    Integer.parseInt("oops");
                }

                @Override
                public ExitAction handleExit(Hart hart, HartExit exit) {
                    return ExitAction.STOP;
                }
            }));
        }
    }

    /** Records the spec it is injected with; powers off on the first exit. */
    static final class SpecRecordingHypervisor implements Hypervisor {
        @Inject
        SpecRecordingHypervisor(VmSpec spec) {
            SEEN.add(spec);
        }

        @Override
        public void start(Machine machine, BootInfo boot) {
            machine.stop(GuestOutcome.ofSystemReset(0, 0)); // ends the run at its first check
        }

        @Override
        public ExitAction handleExit(Hart hart, HartExit exit) {
            return ExitAction.STOP;
        }
    }

    static final class Helper {
        @Inject
        Helper() {
        }
    }

    static final class NeedsHelper implements Hypervisor {
        @Inject
        NeedsHelper(Helper helper) {
        }

        @Override
        public void start(Machine machine, BootInfo boot) {
        }

        @Override
        public ExitAction handleExit(Hart hart, HartExit exit) {
            return ExitAction.STOP;
        }
    }
}
