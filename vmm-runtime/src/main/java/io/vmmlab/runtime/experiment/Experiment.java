package io.vmmlab.runtime.experiment;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.bootstrap.CostModels;
import io.vmmlab.runtime.bootstrap.VmmBootstrap;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.loader.BundledGuests;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.RunResult;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One virtual machine to build and run from Java, for research code: strategy (and technique), guest, devices,
 * limits and the cost model that prices the counters. This is what {@code vmm run} and {@code vmm compare} do,
 * as a library call.
 *
 * <pre>{@code
 * ExperimentResult result = Experiment.builder()
 *         .strategy("fullvirt").technique("trap")
 *         .kernel("bundled:kernel-native")
 *         .append("workloads=nullcall scale=1")
 *         .scratchDisk(4L << 20)
 *         .costModel(CostModelCatalog.presets().resolve("modern-x86"))
 *         .build()
 *         .run();
 * long sretsEmulated = result.counter("trap-emulate", "sret");
 * }</pre>
 *
 * <p>Experiments are deterministic by default (time derived from retired instructions), so the same experiment
 * gives the same counters on every run and every machine; only wall time varies. Plugins (strategies, CPUs,
 * devices, bundled guests) are found with {@link java.util.ServiceLoader} on the class path, as by {@code vmm}.
 *
 * @param spec the VM, without the scratch disk
 * @param scratchDiskBytes size of a zeroed temporary virtio-blk disk added for the run; 0 for none
 * @param costModel how to price the counters
 */
public record Experiment(VmSpec spec, long scratchDiskBytes, CostModel costModel) {
    /** The hart engine of an experiment that names none (short runs, where the translator gains nothing). */
    public static final String DEFAULT_CPU = "interpreter";

    /** Checks the values. */
    public Experiment {
        Objects.requireNonNull(spec, "spec is null");
        Objects.requireNonNull(costModel, "costModel is null");
        if (scratchDiskBytes < 0 || scratchDiskBytes % 512 != 0) {
            throw new IllegalArgumentException("scratch disk size must be a non-negative multiple of 512 bytes: "
                    + scratchDiskBytes);
        }
    }

    /**
     * Starts describing an experiment: {@code native} strategy, interpreter CPU, ISA {@code rv64imac_sstc}, one
     * hart, 256 MiB, built-in SBI firmware, deterministic time, the {@code instructions-only} cost model.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the experiment with the plugins on the current thread's context class loader.
     *
     * @return the result
     * @throws IllegalArgumentException when a name, image or size is wrong (one-line message)
     * @throws IllegalStateException when an installed plugin is broken (two of one name, a name no command line
     *                               can give, a provider that cannot be made: one-line message naming it)
     * @throws io.vmmlab.runtime.bootstrap.StrategyFailure when the strategy's code failed (one-line message naming it)
     * @throws io.vmmlab.runtime.discovery.PluginFailure when a device's or CPU's code failed (one-line message naming it)
     */
    public ExperimentResult run() {
        return run(Plugins.discover());
    }

    /**
     * Runs the experiment with given plugins.
     *
     * @param plugins the installed strategies, CPUs and devices
     * @return the result
     * @throws IllegalArgumentException when a name, image or size is wrong (one-line message)
     * @throws io.vmmlab.runtime.bootstrap.StrategyFailure when the strategy's code failed (one-line message naming it)
     * @throws io.vmmlab.runtime.discovery.PluginFailure when a device's or CPU's code failed (one-line message naming it)
     */
    public ExperimentResult run(Plugins plugins) {
        return run(plugins, Optional.empty());
    }

    /**
     * Runs the experiment with given plugins, counting where the guest entered its VMM: every exit and every entry
     * a strategy reports without one (binary translation's callouts), by guest instruction and reason. Read it with
     * {@link ExitProfile#top}, or format it with {@link io.vmmlab.runtime.report.ExitProfileTable}.
     *
     * @param plugins the installed strategies, CPUs and devices
     * @param profile an empty profile, filled as the guest runs
     * @return the result
     * @throws IllegalArgumentException when a name, image or size is wrong (one-line message)
     * @throws io.vmmlab.runtime.bootstrap.StrategyFailure when the strategy's code failed (one-line message naming it)
     * @throws io.vmmlab.runtime.discovery.PluginFailure when a device's or CPU's code failed (one-line message naming it)
     */
    public ExperimentResult run(Plugins plugins, ExitProfile profile) {
        return run(plugins, Optional.of(profile));
    }

    private ExperimentResult run(Plugins plugins, Optional<ExitProfile> profile) {
        Path scratch = scratchDiskBytes == 0 ? null : createScratchDisk(scratchDiskBytes);
        try {
            List<DeviceSpec> devices = new ArrayList<>(spec.devices());
            if (scratch != null) {
                devices.add(new DeviceSpec("virtio-blk", Map.of("path", scratch.toString(), "readonly", "false")));
            }
            VmSpec withDisk = spec.withDevices(devices);
            CapturingConsole console = new CapturingConsole();
            RunResult run = new VmmBootstrap(plugins, costModel).run(withDisk, console, () -> false, profile);
            String text = console.text();
            return new ExperimentResult(run.strategy(), run.outcome(), run.instructions(), run.wallNanos(),
                    run.counters(), costModel, text, WorkloadResult.parseAll(text));
        } finally {
            if (scratch != null) {
                deleteQuietly(scratch);
            }
        }
    }

    private static Path createScratchDisk(long bytes) {
        try {
            Path file = Files.createTempFile("vmm-experiment-disk-", ".img");
            try (RandomAccessFile image = new RandomAccessFile(file.toFile(), "rw")) {
                image.setLength(bytes);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a scratch disk: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    /** Describes an experiment step by step; every setter returns the builder. */
    public static final class Builder {
        private String strategy = "native";
        private String technique;
        private String cpu = DEFAULT_CPU;
        private String isa = "rv64imac_sstc";
        private AddressTranslation translation = AddressTranslation.SV57;
        private int harts = 1;
        private long memoryBytes = 256L << 20;
        private String kernel;
        private Path initrd;
        private String append = "";
        private String firmware = "builtin";
        private final List<DeviceSpec> devices = new ArrayList<>();
        private long scratchDiskBytes;
        private long maxInstructions;
        private Duration timeout = Duration.ZERO;
        private boolean deterministic = true;
        private CostModel costModel = CostModels.INSTRUCTIONS_ONLY;
        private ClassLoader loader = Thread.currentThread().getContextClassLoader();

        private Builder() {
        }

        /**
         * Sets the strategy by name (see {@code vmm strategies}).
         *
         * @param name such as {@code "native"}, {@code "fullvirt"}, {@code "paravirt"}
         * @return this builder
         */
        public Builder strategy(String name) {
            this.strategy = Objects.requireNonNull(name, "name is null");
            return this;
        }

        /**
         * Sets the strategy's technique variant; without it the strategy's first technique runs.
         *
         * @param name such as {@code "trap"} or {@code "bt"}
         * @return this builder
         */
        public Builder technique(String name) {
            this.technique = Objects.requireNonNull(name, "name is null");
            return this;
        }

        /**
         * Sets the hart engine by name (see {@code vmm cpus}).
         *
         * @param name such as {@code "interpreter"}
         * @return this builder
         */
        public Builder cpu(String name) {
            this.cpu = Objects.requireNonNull(name, "name is null");
            return this;
        }

        /**
         * Sets the harts' ISA string.
         *
         * @param isaString such as {@code "rv64imac_sstc"}
         * @return this builder
         */
        public Builder isa(String isaString) {
            this.isa = Objects.requireNonNull(isaString, "isaString is null");
            return this;
        }

        /**
         * Sets the largest page-table mode the harts offer (default Sv57, as QEMU's {@code virt}).
         *
         * @param mode Sv39, Sv48 or Sv57
         * @return this builder
         */
        public Builder translation(AddressTranslation mode) {
            this.translation = Objects.requireNonNull(mode, "mode is null");
            return this;
        }

        /**
         * Sets the number of harts.
         *
         * @param count 1 to 8
         * @return this builder
         */
        public Builder harts(int count) {
            this.harts = count;
            return this;
        }

        /**
         * Sets the guest's RAM size.
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder memoryBytes(long bytes) {
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * Sets the kernel image.
         *
         * @param pathOrBundled a file path, or {@code bundled:NAME} for an image shipped in vmm-guests
         * @return this builder
         */
        public Builder kernel(String pathOrBundled) {
            this.kernel = Objects.requireNonNull(pathOrBundled, "pathOrBundled is null");
            return this;
        }

        /**
         * Sets an initial RAM disk.
         *
         * @param file the image
         * @return this builder
         */
        public Builder initrd(Path file) {
            this.initrd = Objects.requireNonNull(file, "file is null");
            return this;
        }

        /**
         * Sets the kernel command line; for the bundled kernel: {@code workloads=a,b scale=N <workload>=N hz=N}.
         *
         * @param commandLine the command line
         * @return this builder
         */
        public Builder append(String commandLine) {
            this.append = Objects.requireNonNull(commandLine, "commandLine is null");
            return this;
        }

        /**
         * Sets the firmware: {@code builtin}, {@code none}, or an M-mode firmware file.
         *
         * @param firmwareName the firmware
         * @return this builder
         */
        public Builder firmware(String firmwareName) {
            this.firmware = Objects.requireNonNull(firmwareName, "firmwareName is null");
            return this;
        }

        /**
         * Adds a device from its provider (see {@code vmm devices}).
         *
         * @param device the device kind and its options
         * @return this builder
         */
        public Builder device(DeviceSpec device) {
            this.devices.add(Objects.requireNonNull(device, "device is null"));
            return this;
        }

        /**
         * Adds a raw disk image as a virtio-blk device.
         *
         * @param image the file
         * @param readOnly whether the guest may not write it
         * @return this builder
         */
        public Builder disk(Path image, boolean readOnly) {
            return device(new DeviceSpec("virtio-blk", Map.of("path", image.toString(),
                    "readonly", Boolean.toString(readOnly))));
        }

        /**
         * Adds a zeroed temporary virtio-blk disk, deleted after the run (the bundled suite's blockio needs one).
         *
         * @param bytes its size, a multiple of 512
         * @return this builder
         */
        public Builder scratchDisk(long bytes) {
            this.scratchDiskBytes = bytes;
            return this;
        }

        /**
         * Stops the guest after this many instructions (the outcome is then {@code LIMIT_REACHED}).
         *
         * @param count the limit; 0 for none
         * @return this builder
         */
        public Builder maxInstructions(long count) {
            this.maxInstructions = count;
            return this;
        }

        /**
         * Stops the guest after this much wall time.
         *
         * @param limit the limit; zero for none
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            this.timeout = Objects.requireNonNull(limit, "limit is null");
            return this;
        }

        /**
         * Chooses deterministic time (the default) or host time.
         *
         * @param enabled true to derive time from retired instructions
         * @return this builder
         */
        public Builder deterministic(boolean enabled) {
            this.deterministic = enabled;
            return this;
        }

        /**
         * Sets the cost model that prices the counters.
         *
         * @param model the model
         * @return this builder
         */
        public Builder costModel(CostModel model) {
            this.costModel = Objects.requireNonNull(model, "model is null");
            return this;
        }

        /**
         * Sets where bundled guest images are found (default: the thread's context class loader).
         *
         * @param classLoader the loader
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.loader = Objects.requireNonNull(classLoader, "classLoader is null");
            return this;
        }

        /**
         * Checks the description and freezes it.
         *
         * @return the experiment
         * @throws IllegalArgumentException when a value is out of range or a bundled image is unknown
         */
        public Experiment build() {
            Optional<Path> kernelPath = Optional.ofNullable(kernel).map(new BundledGuests(loader)::resolve);
            VmSpec spec = new VmSpec(strategy, Optional.ofNullable(technique), cpu, IsaSpec.parse(isa),
                    translation, harts, memoryBytes, kernelPath, Optional.ofNullable(initrd), append, firmware, devices,
                    maxInstructions, timeout, deterministic);
            return new Experiment(spec, scratchDiskBytes, costModel);
        }
    }
}
