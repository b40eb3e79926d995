package io.vmmlab.cli;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.Option;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.cli.args.ValueType;
import io.vmmlab.runtime.bootstrap.CostModels;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.bootstrap.VmmBootstrap;
import io.vmmlab.runtime.compare.GuestSuite;
import io.vmmlab.runtime.console.StdioConsole;
import io.vmmlab.runtime.debug.GdbServer;
import io.vmmlab.runtime.experiment.CapturingConsole;
import io.vmmlab.runtime.run.ExecutionControl;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.loader.BundledGuests;
import io.vmmlab.runtime.loader.SymbolTable;
import io.vmmlab.runtime.report.ExitProfileOrder;
import io.vmmlab.runtime.report.ExitProfileTable;
import io.vmmlab.runtime.report.JsonReport;
import io.vmmlab.runtime.report.RunSummary;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.RunResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * {@code vmm run}: builds one VM from the flags, runs the guest with the console on standard input and output,
 * prints a summary of the counters on standard error and exits with the guest's outcome.
 */
final class RunCommand implements Command {
    private static final Option<String> STRATEGY = Option.of("--strategy", "NAME", ValueType.STRING,
            "Strategy (see 'vmm strategies').").withDefault("native");
    private static final Option<String> TECHNIQUE = Option.of("--technique", "NAME", ValueType.STRING,
            "The strategy's technique variant, such as trap or bt.");
    private static final Option<String> CPU = Option.of("--cpu", "NAME", ValueType.STRING,
            "Hart engine (see 'vmm cpus').").withDefault("translator");
    private static final Option<String> ISA = Option.of("--isa", "ISA", ValueType.STRING,
            "Hart ISA string, such as rv64imac or rv64imac_h.").withDefault("rv64imac_sstc");
    private static final Option<String> MMU = Option.of("--mmu", "MODE", ValueType.STRING,
            "Largest page-table mode the harts offer: sv39, sv48 or sv57 (each includes the smaller ones; QEMU's "
            + "virt offers sv57). Paravirt's guest gets sv39 tables whatever it is.")
            .withDefault("sv57");
    private static final Option<Integer> HARTS = Option.of("--smp", "N", ValueType.INT,
            "Number of harts, 1 to 8.").withDefault("1");
    private static final Option<String> MEMORY = Option.of("--mem", "SIZE", ValueType.STRING,
            "RAM size, such as 256M or 1G.").withDefault("256M");
    private static final Option<String> KERNEL = Option.of("--kernel", "IMAGE", ValueType.STRING,
            "Kernel or bare-metal image (ELF or raw), or bundled:NAME (see 'vmm guests'). Without it (and with the "
            + "built-in firmware) the bundled guest suite runs, with a scratch disk (its paravirtual build under a "
            + "strategy that needs one).");
    private static final Option<Path> INITRD = Option.of("--initrd", "FILE", ValueType.PATH, "Initial RAM disk.");
    private static final Option<String> APPEND = Option.of("--append", "CMDLINE", ValueType.STRING,
            "Kernel command line.").withDefault("");
    private static final Option<String> FIRMWARE = Option.of("--bios", "FIRMWARE", ValueType.STRING,
            "Firmware: builtin (Java SBI), none (image starts in M-mode), or an M-mode firmware file.")
            .withDefault("builtin");
    private static final Option<String> DISKS = Option.of("--disk", "DISK", ValueType.STRING,
            "Raw disk image as virtio-blk: FILE[,readonly], or scratch[:SIZE] for a temporary zeroed image "
            + "(default 4M) deleted after the run. Repeatable.").repeatable();
    private static final Option<String> DEVICES = Option.of("--device", "DEVICE", ValueType.STRING,
            "Another device in the next virtio-mmio slot (after the disks): KIND[,KEY=VALUE]... (see 'vmm devices' "
            + "for kinds and their options; a 'path' is relative to the working directory). Repeatable.")
            .repeatable();
    private static final Option<Long> MAX_INSTRUCTIONS = Option.of("--max-instructions", "N", ValueType.LONG,
            "Stop after N guest instructions (exit 124); 0 for no limit. Harts waiting for an interrupt retire none: "
            + "use --timeout for a guest that may wait for ever.").withDefaultInDescription("0");
    private static final Option<Double> TIMEOUT = Option.of("--timeout", "SECONDS", ValueType.DOUBLE,
            "Stop after S seconds of wall time (exit 124); 0 for no limit.").withDefaultInDescription("0");
    private static final Option<Boolean> DETERMINISTIC = Option.negatableFlag("--deterministic",
            "Derive time from retired instructions so runs are reproducible (the real-time clock then starts at "
            + "2000-01-01 UTC instead of the host's time).");
    private static final Option<String> COST_MODEL = Option.of("--cost-model", "MODEL", ValueType.STRING,
            "Prices the summary's and the report's modeled cycles: a preset (instructions-only, pentium4-2006, "
            + "modern-x86, riscv-rocket-h; see 'vmm compare') or a cost-model file.")
            .withDefault(CostModels.INSTRUCTIONS_ONLY.name());
    private static final Option<Path> REPORT = Option.of("--report", "FILE", ValueType.OUTPUT_FILE,
            "Also write the summary as JSON to this file.");
    private static final Option<Integer> EXIT_PROFILE = Option.of("--exit-profile", "N", ValueType.INT,
            "After the run, list on standard error the N places (guest instruction and reason: a trap's cause and "
            + "the instruction emulated, an ecall's a7, WFI, a binary-translation callout) the VMM was entered from "
            + "most often, then with symbols the N functions; N also limits --report's lists. An interrupt counts "
            + "at the instruction it interrupted. Each row has its modeled cycles under --cost-model (what the VMM "
            + "counted while it handled those entries: the entries themselves and their work, such as emulated "
            + "device accesses and shadow fills) and their share of the run's; guest instructions, the hart's page "
            + "walks and bt's translations and jump lookups are no row's.");
    private static final Option<String> EXIT_PROFILE_ORDER = Option.of("--exit-profile-order", "ORDER",
            ValueType.STRING, "Which places and functions the exit profile lists first: entries (most entries) or "
            + "cycles (most modeled cycles under --cost-model: where the overhead is).").withDefault("entries");
    private static final Option<Path> SYMBOLS = Option.of("--symbols", "ELF", ValueType.PATH,
            "Name the exit profile's guest addresses from this ELF file's symbols (such as Linux's vmlinux); by "
            + "default from the kernel's, when it is an ELF file.");
    private static final Option<Integer> GDB = Option.of("--gdb", "PORT", ValueType.INT,
            "Hold the guest before its first instruction for a GDB debugger on this loopback port (in gdb: target "
            + "remote :PORT; 0 picks a free port), as QEMU's -s -S. While a breakpoint is set the harts run one "
            + "instruction at a time.");
    private static final Option<Path> DUMP_DTB = Option.of("--dump-dtb", "FILE", ValueType.OUTPUT_FILE,
            "Write the flattened device tree the guest would be given to this file and exit without running it, as "
            + "QEMU's -machine dumpdtb (decompile it with dtc -I dtb -O dts FILE).");
    private static final Option<Boolean> QUIET = Option.flag("--quiet",
            "Do not print the summary; a run that fails still says why, on one line.")
            .withShortName("-q");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("run",
            List.of("Run a guest on the board under a virtualization strategy."),
            List.of(STRATEGY, TECHNIQUE, CPU, ISA, MMU, HARTS, MEMORY, KERNEL, INITRD, APPEND, FIRMWARE, DISKS,
                    DEVICES, MAX_INSTRUCTIONS, TIMEOUT, DETERMINISTIC, COST_MODEL, REPORT, EXIT_PROFILE,
                    EXIT_PROFILE_ORDER, SYMBOLS, GDB, DUMP_DTB, QUIET));

    private static final String SCRATCH = "scratch";
    private static final long SCRATCH_DEFAULT_BYTES = 4L << 20;

    private final Supplier<Plugins> plugins;
    private final Invocation invocation;
    /** The scratch disks this run made, deleted when it ends ({@link ScratchFiles}). */
    private final List<Path> scratchDisks = new ArrayList<>();
    /** What the user should know before the guest starts (the bundled suite runs), once the flags are checked. */
    private Optional<String> notice = Optional.empty();

    RunCommand(Supplier<Plugins> plugins, Invocation invocation) {
        this.plugins = plugins;
        this.invocation = invocation;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        try {
            return runGuest(arguments, out, err);
        } finally {
            deleteScratchDisks();
        }
    }

    private int runGuest(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        if (arguments.optionalValue(DUMP_DTB).isPresent()) {
            for (Option<?> option : List.of(REPORT, EXIT_PROFILE, GDB)) {
                if (arguments.optionalValue(option).isPresent()) {
                    throw new IllegalArgumentException("--dump-dtb runs no guest: drop " + option.name());
                }
            }
        }
        boolean quiet = arguments.value(QUIET);
        Optional<Path> report = arguments.optionalValue(REPORT).map(invocation::resolve);
        if (!invocation.isLocal()) {
            refuseClientDescriptors(arguments, report);
        }
        report.ifPresent(OutputFiles::checkReport); // before the guest runs, not after
        CostModel model = invocation.resolveCostModel(arguments.value(COST_MODEL));
        VmSpec vm = vmSpec(arguments, quiet);
        report.ifPresent(path -> OutputFiles.checkNotAnInput(path, inputFiles(vm, arguments)));
        Optional<Path> dumpDtb = arguments.optionalValue(DUMP_DTB).map(invocation::resolve);
        if (dumpDtb.isPresent()) {
            return dumpDeviceTree(dumpDtb.get(), vm, model, arguments, err);
        }
        OptionalInt profileRows = exitProfileRows(arguments);
        ExitProfileOrder order = ExitProfileOrder.parse(arguments.value(EXIT_PROFILE_ORDER));
        Optional<ExitProfile> profile = profileRows.isPresent() ? Optional.of(new ExitProfile()) : Optional.empty();
        SymbolTable symbols = profile.isPresent() ? symbols(arguments, vm) : SymbolTable.empty();
        notice.ifPresent(err::println);
        Optional<GdbServer> debugger = debugger(arguments, err);
        StdioConsole console = new StdioConsole(invocation.in(), invocation.consoleOut());
        RunResult result;
        try (TerminalMode terminal = invocation.rawTerminal()) {
            result = new VmmBootstrap(plugins.get(), model).run(vm, console,
                    () -> console.quitRequested() || invocation.abandoned().getAsBoolean(), profile,
                    debugger.map(GdbServer::control).orElse(ExecutionControl.NONE));
        } finally {
            debugger.ifPresent(GdbServer::close);
            console.flush();
            console.close();
        }
        if (invocation.abandoned().getAsBoolean()) { // the client went away: its report must not replace the old one
            return ExitCodes.CLIENT_GONE;
        }
        if (!quiet) {
            err.print(RunSummary.format(result, model));
            err.flush();
        } else if (result.outcome().exitCode() != ExitCodes.SUCCESS) { // quiet, but a failure still says why
            err.println(ErrorHandler.oneLine(RunSummary.outcomeLine(result)));
            err.flush();
        }
        if (profile.isPresent()) { // asked for: printed even when quiet
            err.print(ExitProfileTable.format(profile.get(), symbols, profileRows.getAsInt(), model,
                    result.counters(), order));
            err.flush();
        }
        if (report.isPresent()) {
            String json = profile.isPresent()
                    ? JsonReport.format(result, model, vm, profile.get(), symbols, profileRows.getAsInt(), order)
                    : JsonReport.format(result, model, vm);
            writeReport(report.get(), json, out, err);
        }
        return result.outcome().exitCode();
    }

    /**
     * Builds the board as a run would, writes its device tree and runs nothing: a file is replaced only by a whole
     * new one, never by a guest's inputs' name.
     */
    private int dumpDeviceTree(Path file, VmSpec vm, CostModel model, ParsedArguments arguments, PrintWriter err) {
        if (OutputFiles.standardStream(file).isPresent()) {
            throw new IllegalArgumentException("--dump-dtb: the device tree is binary; give a file, not a standard "
                    + "stream");
        }
        OutputFiles.checkOutput(file, "device tree");
        OutputFiles.checkNotAnInput(file, inputFiles(vm, arguments), "device tree");
        byte[] blob = new VmmBootstrap(plugins.get(), model).deviceTree(vm, new CapturingConsole());
        OutputFiles.writeFile(file, blob, "device tree");
        err.println("vmm: device tree written to " + file + " (" + blob.length + " bytes)");
        err.flush();
        return ExitCodes.SUCCESS;
    }

    /** The GDB stub, listening before the guest starts (a port in use fails first), when --gdb asks for one. */
    private static Optional<GdbServer> debugger(ParsedArguments arguments, PrintWriter err) {
        Optional<Integer> port = arguments.optionalValue(GDB);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        if (port.get() < 0 || port.get() > 65535) {
            throw new IllegalArgumentException("--gdb: port " + port.get() + " (give 0 to 65535)");
        }
        GdbServer server;
        try {
            server = GdbServer.listen(port.get());
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("--gdb: " + e.getMessage(), e);
        }
        return Optional.of(server.whenStarted(() -> { // once the image has loaded: a bad one fails first
            err.println("vmm: the guest waits for a debugger on localhost:" + server.port() + " (in gdb: target remote :"
                    + server.port() + ")");
            err.flush();
        }));
    }

    private static OptionalInt exitProfileRows(ParsedArguments arguments) {
        Optional<Integer> rows = arguments.optionalValue(EXIT_PROFILE);
        if (rows.isPresent() && rows.get() < 1) {
            throw new IllegalArgumentException("--exit-profile: " + rows.get() + " rows (give 1 or more)");
        }
        if (rows.isEmpty() && arguments.isGiven(EXIT_PROFILE_ORDER)) {
            throw new IllegalArgumentException("--exit-profile-order orders an exit profile: give --exit-profile N "
                    + "too");
        }
        if (rows.isEmpty() && arguments.optionalValue(SYMBOLS).isPresent()) {
            throw new IllegalArgumentException("--symbols names the places of an exit profile: give --exit-profile N "
                    + "too");
        }
        return rows.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /** The names for the profile's addresses, read before the guest runs (a bad file stops the run first). */
    private SymbolTable symbols(ParsedArguments arguments, VmSpec vm) {
        Optional<Path> file = arguments.optionalValue(SYMBOLS).map(invocation::resolve);
        if (file.isPresent()) {
            SymbolTable symbols = SymbolTable.read(file.get(), true);
            if (symbols.size() == 0) {
                throw new IllegalArgumentException("--symbols: " + file.get() + " has no function symbols "
                        + "(a stripped file?)");
            }
            return symbols;
        }
        return vm.kernel().map(kernel -> SymbolTable.read(kernel, false)).orElse(SymbolTable.empty());
    }

    /**
     * A client's descriptor (a report, a disk or device path of /dev/fd/N): this process, the resident host, has
     * descriptors of the same numbers of its own, its jars among them. The launcher runs such a command in a JVM of
     * its own; a client of the protocol gets this.
     */
    private void refuseClientDescriptors(ParsedArguments arguments, Optional<Path> report) {
        List<String> values = new ArrayList<>(arguments.values(DISKS));
        values.addAll(arguments.values(DEVICES));
        arguments.optionalValue(SYMBOLS).ifPresent(path -> values.add(path.toString()));
        arguments.optionalValue(DUMP_DTB).ifPresent(path -> values.add(path.toString()));
        report.filter(path -> OutputFiles.standardStream(path).isEmpty())
                .ifPresent(path -> values.add(path.toString()));
        for (String value : values) {
            if (OpenDescriptors.mentions(value)) {
                throw new IllegalArgumentException("'" + value + "' names a descriptor of the client, which the "
                        + "resident host cannot reach (run with VMM_HOST=off)");
            }
        }
        // The outputs spelt another way (/dev/./fd/N, a link to /dev/fd/N) would name the host's own descriptors.
        List<Path> outputs = new ArrayList<>();
        report.ifPresent(outputs::add);
        arguments.optionalValue(DUMP_DTB).map(invocation::resolve).ifPresent(outputs::add);
        for (Path output : outputs) {
            if (OutputFiles.standardStream(output).isEmpty()
                    && OpenDescriptors.isDescriptor(OutputFiles.descriptorPath(output))) {
                throw new IllegalArgumentException("'" + output + "' names a descriptor of the client, which the "
                        + "resident host cannot reach (run with VMM_HOST=off)");
            }
        }
    }

    /**
     * The files a run reads: the VM's kernel, initial RAM disk, firmware file and the devices' files (disk images),
     * a cost-model file and a symbols file.
     */
    private List<Path> inputFiles(VmSpec vm, ParsedArguments arguments) {
        String costModel = arguments.value(COST_MODEL);
        List<Path> inputs = new ArrayList<>();
        arguments.optionalValue(SYMBOLS).map(invocation::resolve).ifPresent(inputs::add);
        if (!CostModelCatalog.presets().names().contains(costModel)) {
            inputs.add(invocation.resolve(costModel));
        }
        vm.kernel().ifPresent(inputs::add);
        vm.initrd().ifPresent(inputs::add);
        if (!vm.firmware().equals("builtin") && !vm.firmware().equals("none")) {
            inputs.add(Path.of(vm.firmware()));
        }
        for (DeviceSpec device : vm.devices()) {
            String path = device.options().get("path");
            if (path != null) {
                inputs.add(Path.of(path));
            }
        }
        return inputs;
    }

    private void deleteScratchDisks() {
        scratchDisks.forEach(ScratchFiles::delete);
        scratchDisks.clear();
    }

    private static void writeReport(Path report, String json, PrintWriter out, PrintWriter err) {
        OptionalInt stream = OutputFiles.standardStream(report);
        if (stream.isPresent()) { // this command's own stream (a hosted run's client's), not the file behind it
            PrintWriter writer = stream.getAsInt() == 1 ? out : err;
            writer.print(json);
            writer.flush();
            return;
        }
        OutputFiles.writeReport(report, json);
    }

    private VmSpec vmSpec(ParsedArguments arguments, boolean quiet) {
        Duration timeout = WallTimeLimit.of(arguments.value(TIMEOUT));
        String strategy = arguments.value(STRATEGY);
        String suite = GuestSuite.bundledKernelFor(plugins.get().strategies().require(strategy));
        String cpu = arguments.value(CPU);
        plugins.get().cpus().require(cpu);
        String firmware = arguments.value(FIRMWARE);
        if (firmware.isEmpty()) {
            throw new IllegalArgumentException("--bios: an empty name (give builtin, none or a firmware file)");
        }
        if (!firmware.equals("builtin") && !firmware.equals("none")) {
            firmware = invocation.resolve(firmware).toString();
        }
        Optional<String> kernel = arguments.optionalValue(KERNEL);
        if (firmware.equals("none") && kernel.isEmpty()) {
            throw new IllegalArgumentException("--bios none starts the image itself in M-mode: give it with --kernel "
                    + "FILE");
        }
        List<String> disks = new ArrayList<>(arguments.values(DISKS));
        boolean defaultGuest = kernel.isEmpty() && firmware.equals("builtin");
        if (defaultGuest) {
            kernel = Optional.of(suite);
            if (disks.isEmpty()) {
                disks.add(SCRATCH);
            }
        }
        List<DeviceSpec> devices = new ArrayList<>();
        for (String disk : disks) {
            devices.add(diskSpec(disk));
        }
        for (String device : arguments.values(DEVICES)) {
            devices.add(deviceSpec(device));
        }
        BundledGuests bundled = new BundledGuests(Thread.currentThread().getContextClassLoader());
        Optional<Path> kernelPath = kernel.map(invocation::resolveImage).map(bundled::resolve);
        VmSpec vm = new VmSpec(strategy, arguments.optionalValue(TECHNIQUE), cpu,
                IsaSpec.parse(arguments.value(ISA)), AddressTranslation.parse(arguments.value(MMU)),
                arguments.value(HARTS),
                SizeParser.parse(arguments.value(MEMORY)), kernelPath,
                arguments.optionalValue(INITRD).map(invocation::resolve),
                arguments.value(APPEND), firmware, devices, arguments.value(MAX_INSTRUCTIONS),
                timeout, arguments.value(DETERMINISTIC));
        if (defaultGuest && !quiet) {
            notice = Optional.of("vmm: no --kernel given: running the bundled guest suite ("
                    + suite + ")" + (disks.contains(SCRATCH) ? " with a scratch disk" : ""));
        }
        return vm;
    }

    private Path scratchDisk(String text) {
        long size = text.equals(SCRATCH) ? SCRATCH_DEFAULT_BYTES
                : SizeParser.parse(text.substring(SCRATCH.length() + 1));
        if (size % 512 != 0) {
            throw new IllegalArgumentException("scratch disk size must be a multiple of 512 bytes: " + text);
        }
        try {
            // Deleted when the run ends, or at the JVM's exit when it cannot end (Ctrl-C, a host stopped mid-run).
            Path file = ScratchFiles.create("vmm-scratch-", ".img");
            scratchDisks.add(file);
            try (java.io.RandomAccessFile image = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                image.setLength(size);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a scratch disk: " + e.getMessage());
        }
    }

    private DeviceSpec deviceSpec(String text) {
        String[] parts = text.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("--device needs a kind (see 'vmm devices'): " + text);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("bad --device option '" + parts[i] + "': KEY=VALUE expected");
            }
            String key = parts[i].substring(0, equals);
            String value = parts[i].substring(equals + 1);
            if (options.put(key, key.equals("path") ? invocation.resolve(value).toString() : value) != null) {
                throw new IllegalArgumentException("--device option '" + key + "' given twice: " + text);
            }
        }
        return new DeviceSpec(parts[0], options);
    }

    private DeviceSpec diskSpec(String text) {
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
        } else {
            parts[0] = invocation.resolve(parts[0]).toString();
        }
        Path image = Path.of(parts[0]);
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("disk image " + parts[0] + (!Files.exists(image) ? " does not exist"
                    : Files.isDirectory(image) ? " is a directory" : " is not a regular file"));
        }
        return new DeviceSpec("virtio-blk", Map.of("path", parts[0], "readonly", Boolean.toString(readOnly)));
    }
}
