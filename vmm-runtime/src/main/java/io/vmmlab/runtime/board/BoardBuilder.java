package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.HartInterruptLines;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.device.MachineControl;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.loader.ImageException;
import io.vmmlab.runtime.loader.ImageLoader;
import io.vmmlab.runtime.memory.FlatRam;
import io.vmmlab.runtime.memory.RangeMmioBus;
import io.vmmlab.runtime.metrics.MachineCounters;
import io.vmmlab.runtime.time.DeterministicTimeSource;
import io.vmmlab.runtime.time.HostTimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the virt board for a VM spec: RAM, bus, harts from the chosen CPU provider, the standard devices and the
 * user's devices from their providers, then loads the images and writes the device tree.
 */
public final class BoardBuilder {
    private static final Logger log = LoggerFactory.getLogger(BoardBuilder.class);
    private static final Set<String> STANDARD_DEVICES = Set.of("clint", "plic", "ns16550a", "sifive-test");
    /** Guest instructions per 10 MHz tick in deterministic mode: a nominal 100 MIPS machine. */
    private static final long INSTRUCTIONS_PER_TICK = 10;
    private static final long FDT_ALIGNMENT = 2L << 20;
    private static final long FIRMWARE_INFO_MAGIC = 0x4942_534fL;

    private final Plugins plugins;

    /**
     * Creates a builder over the installed plugins.
     *
     * @param plugins where CPUs and devices come from
     */
    public BoardBuilder(Plugins plugins) {
        this.plugins = plugins;
    }

    /**
     * Builds the board and loads the guest.
     *
     * @param spec the VM
     * @param isa the ISA the harts get (the spec's, adjusted to the strategy's requirements)
     * @param console the host side of the guest console
     * @return the machine and where the guest starts
     * @throws ImageException when an image is missing, corrupt or does not fit
     * @throws IllegalArgumentException when the spec names something unknown or inconsistent
     */
    public AssembledBoard build(VmSpec spec, IsaSpec isa, HostConsole console) {
        CpuProvider cpuProvider = plugins.cpus().require(spec.cpu());
        for (String standard : STANDARD_DEVICES) {
            plugins.devices().require(standard);
        }
        FlatRam ram = new FlatRam(PlatformLayout.DRAM.base(), spec.memoryBytes());
        RangeMmioBus bus = new RangeMmioBus();
        MachineCounters counters = new MachineCounters();
        AtomicReference<List<Hart>> hartsReference = new AtomicReference<>(List.of());
        DeterministicTimeSource deterministicTime = spec.deterministic()
                ? new DeterministicTimeSource(() -> retired(hartsReference.get()), INSTRUCTIONS_PER_TICK) : null;
        TimeSource time = deterministicTime != null ? deterministicTime : new HostTimeSource();

        HartResources resources = new HartResources(ram, bus, time, counters);
        List<Hart> harts = new ArrayList<>();
        for (int id = 0; id < spec.harts(); id++) {
            harts.add(cpuProvider.create(new HartConfig(id, isa, PlatformLayout.DRAM.base(), Set.of()), resources));
        }
        hartsReference.set(List.copyOf(harts));
        HartInterruptLines hartLines = new HartInterruptLines() {
            @Override
            public int hartCount() {
                return harts.size();
            }

            @Override
            public InterruptLine line(int hartId, HartInterrupt interrupt) {
                return harts.get(hartId).interruptLine(interrupt);
            }
        };

        AtomicReference<VirtMachine> machineReference = new AtomicReference<>();
        MachineControl control = new FinisherControl(machineReference);
        DeviceFactory factory = new DeviceFactory(plugins, ram, bus, time, hartLines, console, counters, control);
        List<Device> devices = new ArrayList<>();
        try {
            return assemble(spec, isa, harts, ram, bus, time, counters, deterministicTime, factory, devices,
                    machineReference);
        } catch (RuntimeException e) {
            closeQuietly(devices);
            throw e;
        }
    }

    private AssembledBoard assemble(VmSpec spec, IsaSpec isa, List<Hart> harts, FlatRam ram, RangeMmioBus bus,
                                    TimeSource time, MachineCounters counters,
                                    DeterministicTimeSource deterministicTime, DeviceFactory factory,
                                    List<Device> devices, AtomicReference<VirtMachine> machineReference) {
        devices.add(factory.create("clint", "clint", PlatformLayout.CLINT.range(), 0, null));
        Device plic = factory.create("plic", "plic", PlatformLayout.PLIC.range(), 0, null);
        if (!(plic instanceof InterruptController controller)) {
            throw new IllegalStateException("the plic device provider does not build an interrupt controller");
        }
        devices.add(plic);
        devices.add(factory.create("ns16550a", "uart0", PlatformLayout.UART0.range(),
                PlatformLayout.UART0.interrupt(), controller));
        devices.add(factory.create("sifive-test", "test", PlatformLayout.TEST.range(), 0, controller));
        int slot = 0;
        for (DeviceSpec device : spec.devices()) {
            devices.add(factory.create(device, device.kind() + slot, PlatformLayout.virtioSlot(slot),
                    PlatformLayout.virtioInterrupt(slot), controller));
            slot++;
        }
        VirtMachine machine = new VirtMachine(harts, ram, bus, devices, time, counters);
        machineReference.set(machine);
        BootInfo boot = load(spec, isa, machine, ram, devices);
        for (Hart hart : harts) {
            hart.flushCaches();
        }
        return new AssembledBoard(machine, boot, Optional.ofNullable(deterministicTime));
    }

    /**
     * Closes devices, logging rather than throwing, so one failing device does not keep the others' files open.
     *
     * @param devices the devices to close
     */
    public static void closeQuietly(List<Device> devices) {
        for (Device device : devices) {
            try {
                device.close();
            } catch (RuntimeException e) {
                log.error("Closing {} failed: {}", device.name(), e.getMessage());
            }
        }
    }

    private BootInfo load(VmSpec spec, IsaSpec isa, VirtMachine machine, FlatRam ram, List<Device> devices) {
        ImageLoader loader = new ImageLoader(ram);
        Optional<ImageLoader.LoadedImage> firmware = Optional.empty();
        boolean builtin = spec.firmware().equals("builtin");
        boolean none = spec.firmware().equals("none");
        if (!builtin && !none) {
            Path path = Path.of(spec.firmware());
            firmware = Optional.of(loader.load(path, ImageLoader.read(path), PlatformLayout.DRAM.base()));
        } else if (spec.kernel().isEmpty()) {
            throw new ImageException("no kernel given: use --kernel FILE (or --bios FILE to run a firmware alone)");
        }
        long kernelAddress = none ? PlatformLayout.DRAM.base() : PlatformLayout.KERNEL_WITH_FIRMWARE;
        Optional<ImageLoader.LoadedImage> kernel = Optional.empty();
        if (spec.kernel().isPresent()) {
            Path path = spec.kernel().get();
            kernel = Optional.of(loader.load(path, ImageLoader.read(path), kernelAddress));
            kernel.get().elf().flatMap(elf -> elf.symbol("tohost")).ifPresent(tohost -> mapHostTarget(machine, tohost));
        }
        AddressRange firmwareRegion = new AddressRange(PlatformLayout.DRAM.base(),
                PlatformLayout.KERNEL_WITH_FIRMWARE - PlatformLayout.DRAM.base());
        if (builtin && kernel.isPresent() && kernel.get().range().overlaps(firmwareRegion)) {
            throw new ImageException(String.format("kernel at %s overlaps the firmware region %s: an S-mode kernel "
                    + "starts at 0x%x; run bare-metal M-mode images with --bios none",
                    kernel.get().range(), firmwareRegion, PlatformLayout.KERNEL_WITH_FIRMWARE));
        }
        if (firmware.isPresent() && kernel.isPresent() && firmware.get().range().overlaps(kernel.get().range())) {
            throw new ImageException(String.format("kernel at %s overlaps firmware at %s",
                    kernel.get().range(), firmware.get().range()));
        }
        Optional<AddressRange> initrd = Optional.empty();
        if (spec.initrd().isPresent()) {
            Path path = spec.initrd().get();
            byte[] bytes = ImageLoader.read(path);
            long address = initrdAddress(ram.range(), kernel, bytes.length);
            initrd = Optional.of(loader.loadRaw(path.toString(), bytes, address).range());
        }
        byte[] tree = DeviceTree.build(ram.range(), spec.harts(), isa, machine.time(), devices, spec.append(), initrd);
        long treeAddress = (ram.range().end() - tree.length - 64) & -FDT_ALIGNMENT;
        AddressRange treeRange = new AddressRange(treeAddress, tree.length);
        checkFree(treeRange, kernel, initrd);
        ram.write(treeAddress, tree, 0, tree.length);

        long firmwareInfo = 0;
        if (firmware.isPresent() && kernel.isPresent()) {
            firmwareInfo = treeRange.end() + 64 & ~7L;
            writeFirmwareInfo(ram, firmwareInfo, kernel.get().entry());
        }
        long entry = firmware.map(ImageLoader.LoadedImage::entry).orElseGet(() -> machine.memory().range().base());
        if (firmware.isEmpty()) {
            entry = kernel.orElseThrow().entry();
        }
        PrivilegeMode mode = builtin ? PrivilegeMode.SUPERVISOR : PrivilegeMode.MACHINE;
        return new BootInfo(entry, mode, treeRange, kernel.map(ImageLoader.LoadedImage::range), initrd, firmwareInfo);
    }

    private static long initrdAddress(AddressRange ram, Optional<ImageLoader.LoadedImage> kernel, long size) {
        long start = kernel.map(image -> image.range().end()).orElse(ram.base());
        long half = ram.base() + ram.size() / 2;
        long address = Math.max(start, half) + 0xfff & ~0xfffL;
        if (address + size > ram.end() - FDT_ALIGNMENT * 2) {
            address = start + 0xfff & ~0xfffL;
        }
        return address;
    }

    private static void checkFree(AddressRange tree, Optional<ImageLoader.LoadedImage> kernel,
                                  Optional<AddressRange> initrd) {
        if (kernel.isPresent() && kernel.get().range().overlaps(tree)
                || initrd.isPresent() && initrd.get().overlaps(tree)) {
            throw new ImageException("the images leave no room for the device tree at the end of RAM (try a larger --mem)");
        }
    }

    private static void writeFirmwareInfo(FlatRam ram, long address, long kernelEntry) {
        ram.write64(address, FIRMWARE_INFO_MAGIC);
        ram.write64(address + 8, 2);
        ram.write64(address + 16, kernelEntry);
        ram.write64(address + 24, PrivilegeMode.SUPERVISOR.encoding());
        ram.write64(address + 32, 0);
        ram.write64(address + 40, 0);
    }

    private static void mapHostTarget(VirtMachine machine, long tohost) {
        long page = tohost & ~0xfffL;
        if (!machine.memory().range().contains(page, 0x1000)) {
            throw new ImageException(String.format("tohost at 0x%x lies outside guest RAM", tohost));
        }
        machine.mmio().map("htif", new AddressRange(page, 0x1000),
                new HostTargetInterface(machine.memory(), page, tohost, machine));
        log.info("Host-target interface at tohost=0x{}", Long.toHexString(tohost));
    }

    private static long retired(List<Hart> harts) {
        long total = 0;
        for (Hart hart : harts) {
            total += hart.instructionsRetired();
        }
        return total;
    }

    /**
     * The built board.
     *
     * @param machine the machine
     * @param boot where the guest starts
     * @param deterministicTime the instruction-driven clock in deterministic mode
     */
    public record AssembledBoard(VirtMachine machine, BootInfo boot, Optional<DeterministicTimeSource> deterministicTime) {
    }

    /** Creates devices from providers and maps them. */
    private static final class DeviceFactory {
        private final Plugins plugins;
        private final FlatRam ram;
        private final RangeMmioBus bus;
        private final TimeSource time;
        private final HartInterruptLines harts;
        private final HostConsole console;
        private final MachineCounters counters;
        private final MachineControl control;

        DeviceFactory(Plugins plugins, FlatRam ram, RangeMmioBus bus, TimeSource time, HartInterruptLines harts,
                      HostConsole console, MachineCounters counters, MachineControl control) {
            this.plugins = plugins;
            this.ram = ram;
            this.bus = bus;
            this.time = time;
            this.harts = harts;
            this.console = console;
            this.counters = counters;
            this.control = control;
        }

        Device create(String kind, String name, AddressRange range, int interrupt, InterruptController controller) {
            return create(new DeviceSpec(kind, java.util.Map.of()), name, range, interrupt, controller);
        }

        Device create(DeviceSpec spec, String name, AddressRange range, int interrupt, InterruptController controller) {
            DeviceProvider provider = plugins.devices().require(spec.kind());
            int source = provider.needsInterrupt() ? interrupt : 0;
            InterruptLine line = source > 0 && controller != null ? controller.source(source) : asserted -> { };
            Device device = provider.create(
                    new DeviceContext(name, range, source, line, ram, time, harts, console, counters, control), spec);
            bus.map(name, device.range(), device);
            log.info("Mapped {} ({}) at {}", name, spec.kind(), device.range());
            return device;
        }
    }
}
