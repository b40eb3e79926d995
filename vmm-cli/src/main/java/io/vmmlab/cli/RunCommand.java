package io.vmmlab.cli;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.runtime.bootstrap.CostModels;
import io.vmmlab.runtime.bootstrap.VmmBootstrap;
import io.vmmlab.runtime.console.StdioConsole;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.loader.BundledGuests;
import io.vmmlab.runtime.report.JsonReport;
import io.vmmlab.runtime.report.RunSummary;
import io.vmmlab.runtime.run.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vmm run}: builds one VM from the flags, runs the guest with the console on standard input and output,
 * prints a summary of the counters on standard error and exits with the guest's outcome.
 */
@Command(name = "run", description = "Run a guest on the board under a virtualization strategy.")
final class RunCommand implements Callable<Integer> {
    private final Plugins plugins;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--strategy", defaultValue = "native", description = "Strategy (see 'vmm strategies'); default ${DEFAULT-VALUE}.")
    private String strategy;

    @Option(names = "--technique", description = "The strategy's technique variant, such as trap or bt.")
    private String technique;

    @Option(names = "--cpu", defaultValue = "translator", description = "Hart engine (see 'vmm cpus'); default ${DEFAULT-VALUE}.")
    private String cpu;

    @Option(names = "--isa", defaultValue = "rv64imac_sstc", description = "Hart ISA string, such as rv64imac or rv64imac_h; default ${DEFAULT-VALUE}.")
    private String isa;

    @Option(names = "--smp", defaultValue = "1", description = "Number of harts, 1 to 8; default ${DEFAULT-VALUE}.")
    private int harts;

    @Option(names = "--mem", defaultValue = "256M", description = "RAM size, such as 256M or 1G; default ${DEFAULT-VALUE}.")
    private String memory;

    @Option(names = "--kernel", description = "Kernel or bare-metal image (ELF or raw), or bundled:NAME (see 'vmm guests'). "
            + "Without it (and with the built-in firmware) the bundled guest suite runs, with a scratch disk.")
    private String kernel;

    @Option(names = "--initrd", description = "Initial RAM disk.")
    private Path initrd;

    @Option(names = "--append", defaultValue = "", description = "Kernel command line.")
    private String append;

    @Option(names = "--bios", defaultValue = "builtin",
            description = "Firmware: builtin (Java SBI), none (image starts in M-mode), or an M-mode firmware file; default ${DEFAULT-VALUE}.")
    private String firmware;

    @Option(names = "--disk", description = "Raw disk image as virtio-blk: FILE[,readonly], or scratch[:SIZE] for a "
            + "temporary zeroed image (default 4M) deleted after the run. Repeatable.")
    private List<String> disks = new ArrayList<>();

    @Option(names = "--max-instructions", defaultValue = "0", description = "Stop after N guest instructions (exit 124); 0 for no limit.")
    private long maxInstructions;

    @Option(names = "--timeout", defaultValue = "0", description = "Stop after S seconds of wall time (exit 124); 0 for no limit.")
    private double timeoutSeconds;

    @Option(names = "--deterministic", negatable = true, defaultValue = "false",
            description = "Derive time from retired instructions so runs are reproducible.")
    private boolean deterministic;

    @Option(names = "--report", description = "Also write the summary as JSON to this file.")
    private Path report;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the summary.")
    private boolean quiet;

    private static final String DEFAULT_GUEST = "bundled:kernel-native";
    private static final String SCRATCH = "scratch";
    private static final long SCRATCH_DEFAULT_BYTES = 4L << 20;

    RunCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public Integer call() {
        VmSpec vm = vmSpec();
        StdioConsole console = new StdioConsole(System.in, System.out);
        RunResult result;
        try (TerminalMode terminal = TerminalMode.raw()) {
            result = new VmmBootstrap(plugins, CostModels.INSTRUCTIONS_ONLY).run(vm, console, console::quitRequested);
        } finally {
            console.flush();
        }
        if (!quiet) {
            spec.commandLine().getErr().print(RunSummary.format(result, CostModels.INSTRUCTIONS_ONLY));
            spec.commandLine().getErr().flush();
        }
        if (report != null) {
            writeReport(result);
        }
        return result.outcome().exitCode();
    }

    private void writeReport(RunResult result) {
        try {
            Path target = report.toAbsolutePath();
            Path temporary = Files.createTempFile(target.getParent(), ".vmm-report", ".json");
            Files.writeString(temporary, JsonReport.format(result, CostModels.INSTRUCTIONS_ONLY));
            Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write report " + report + ": " + e.getMessage());
        }
    }

    private VmSpec vmSpec() {
        if (timeoutSeconds < 0 || Double.isNaN(timeoutSeconds)) {
            throw new IllegalArgumentException("--timeout must not be negative");
        }
        plugins.strategies().require(strategy);
        plugins.cpus().require(cpu);
        boolean defaultGuest = kernel == null && firmware.equals("builtin");
        if (defaultGuest) {
            kernel = DEFAULT_GUEST;
            if (disks.isEmpty()) {
                disks.add(SCRATCH);
            }
        }
        List<DeviceSpec> devices = new ArrayList<>();
        for (String disk : disks) {
            devices.add(diskSpec(disk));
        }
        Optional<Path> kernelPath = Optional.ofNullable(kernel)
                .map(new BundledGuests(Thread.currentThread().getContextClassLoader())::resolve);
        VmSpec vm = new VmSpec(strategy, Optional.ofNullable(technique), cpu, IsaSpec.parse(isa), harts,
                SizeParser.parse(memory), kernelPath, Optional.ofNullable(initrd), append, firmware,
                devices, maxInstructions, Duration.ofMillis((long) (timeoutSeconds * 1000)), deterministic);
        if (defaultGuest && !quiet) {
            spec.commandLine().getErr().println("vmm: no --kernel given: running the bundled guest suite ("
                    + DEFAULT_GUEST + ")" + (disks.contains(SCRATCH) ? " with a scratch disk" : ""));
        }
        return vm;
    }

    private static Path scratchDisk(String text) {
        long size = text.equals(SCRATCH) ? SCRATCH_DEFAULT_BYTES : SizeParser.parse(text.substring(SCRATCH.length() + 1));
        if (size % 512 != 0) {
            throw new IllegalArgumentException("scratch disk size must be a multiple of 512 bytes: " + text);
        }
        try {
            Path file = Files.createTempFile("vmm-scratch-", ".img");
            file.toFile().deleteOnExit();
            try (java.io.RandomAccessFile image = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                image.setLength(size);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a scratch disk: " + e.getMessage());
        }
    }

    private static DeviceSpec diskSpec(String text) {
        String[] parts = text.split(",");
        boolean readOnly = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("readonly")) {
                readOnly = true;
            } else {
                throw new IllegalArgumentException("bad --disk option '" + parts[i] + "': only 'readonly' is known");
            }
        }
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("--disk needs a file name");
        }
        if (parts[0].equals(SCRATCH) || parts[0].startsWith(SCRATCH + ":")) {
            parts[0] = scratchDisk(parts[0]).toString();
        }
        if (!Files.isRegularFile(Path.of(parts[0]))) {
            throw new IllegalArgumentException("disk image " + parts[0] + " does not exist");
        }
        return new DeviceSpec("virtio-blk", Map.of("path", parts[0], "readonly", Boolean.toString(readOnly)));
    }
}
