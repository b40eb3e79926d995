package io.vmmlab.runtime.bootstrap;

import com.google.inject.Inject;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.discovery.TestPlugins;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;
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

import static org.assertj.core.api.Assertions.assertThat;

/** An entry a VMM reports while it starts (before the run loop) is priced like any other. */
final class VmmBootstrapExitProfileTest {
    private static final int CSRRW_SATP = 0x18059073;

    @TempDir
    Path directory;

    @Test
    void anEntryReportedWhileTheHypervisorStartsKeepsItsWork() throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[4096]);
        VmSpec spec = new VmSpec("startcallout", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1,
                8L << 20, Optional.of(kernel), Optional.empty(), "", "none", List.of(), 1000, Duration.ZERO, true);
        ExitProfile profile = new ExitProfile();
        try (URLClassLoader loader = TestPlugins.loaderListing(directory.resolve("classes"),
                VirtualizationStrategyProvider.class, StartCallout.class)) {
            new VmmBootstrap(Plugins.discover(loader), CostModels.INSTRUCTIONS_ONLY)
                    .run(spec, new RecordingConsole(), () -> false, Optional.of(profile));
        }

        assertThat(profile.top(1)).containsExactly(new ExitSite(0x8000_0000L, "callout: csrrw satp", 1,
                Map.of(CostCategory.CALLOUT, 1L, CostCategory.MMIO_EMULATION, 1L)));
    }

    /** Its hypervisor reports a callout from start(), counts its work, closes it, and stops at the first exit. */
    public static final class StartCallout extends TestStrategyProvider {
        public StartCallout() {
            super("startcallout", "test strategy with a callout while it starts", binding(Reporting.class));
        }
    }

    /** The hypervisor of {@link StartCallout}. */
    public static final class Reporting implements Hypervisor {
        private final VmmEntries entries;
        private final Counters counters;

        @Inject
        public Reporting(VmmEntries entries, Counters counters) {
            this.entries = entries;
            this.counters = counters;
        }

        @Override
        public void start(Machine machine, BootInfo boot) {
            Hart hart = machine.harts().get(0);
            entries.callout(hart, 0x8000_0000L, CSRRW_SATP);
            counters.counter("start", "callout", CostCategory.CALLOUT).increment();
            counters.counter("start", "device-emulated", CostCategory.MMIO_EMULATION).increment();
            entries.handled(hart);
        }

        @Override
        public ExitAction handleExit(Hart hart, HartExit exit) {
            return ExitAction.STOP;
        }
    }
}
