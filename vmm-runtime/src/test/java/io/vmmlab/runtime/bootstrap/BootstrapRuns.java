package io.vmmlab.runtime.bootstrap;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.runtime.discovery.Plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Runs a small VM (8 MiB, a kernel of zeros, 1000 instructions, bare metal) under a test strategy. */
final class BootstrapRuns {
    private BootstrapRuns() {
    }

    static void run(Plugins plugins, Path directory, String strategy, Optional<String> technique) throws IOException {
        Path kernel = Files.write(directory.resolve("kernel.bin"), new byte[4096]);
        VmSpec spec = new VmSpec(strategy, technique, "interpreter", IsaSpec.parse("rv64imac"), 1, 8L << 20,
                Optional.of(kernel), Optional.empty(), "", "none", List.of(), 1000, Duration.ZERO, true);
        new VmmBootstrap(plugins, CostModels.INSTRUCTIONS_ONLY).run(spec, new RecordingConsole(), () -> false);
    }
}
