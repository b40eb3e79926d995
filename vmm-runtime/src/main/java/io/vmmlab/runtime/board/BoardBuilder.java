package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.HartInterruptLines;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.GuestMemoryView;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.loader.ImageException;
import io.vmmlab.runtime.memory.DmaTracingMemory;
import io.vmmlab.runtime.memory.RangeMmioBus;
import io.vmmlab.runtime.metrics.MachineCounters;
import io.vmmlab.runtime.time.DeterministicTimeSource;
import io.vmmlab.runtime.time.HostTimeSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the virt board for a VM spec: RAM (the guest's, then the VMM's reserved region), bus, harts from the
 * chosen CPU provider, the standard devices and the user's devices from their providers; then loads the images
 * and writes the device tree ({@link BootImages}).
 */
public final class BoardBuilder {
    private static final Set<String> STANDARD_DEVICES = Set.of("clint", "plic", "ns16550a", "sifive-test",
            "goldfish-rtc");
    /** Guest instructions per 10 MHz tick in deterministic mode: a nominal 100 MIPS machine. */
    private static final long INSTRUCTIONS_PER_TICK = 10;

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
     * Builds the board and loads the guest, whose device tree describes the harts as they are (the ISA given here,
     * {@code spec.translation()}; a strategy's {@code guestTranslation} is the bootstrap's to apply).
     *
     * @param spec the VM
     * @param isa the ISA the harts get (the spec's, adjusted to the strategy's requirements)
     * @param vmmMemoryBytes RAM to reserve for the VMM after the guest's, a multiple of 4 KiB
     * @param console the host side of the guest console
     * @return the machine and where the guest starts
     * @throws ImageException when an image is missing, corrupt or does not fit
     * @throws IllegalArgumentException when the spec names something unknown or inconsistent
     */
    public AssembledBoard build(VmSpec spec, IsaSpec isa, long vmmMemoryBytes, HostConsole console) {
        return build(spec, isa, new GuestHarts(isa, spec.translation()), vmmMemoryBytes, console);
    }

    /**
     * Builds the board and loads the guest, describing to the guest (in the device tree) other harts than the board
     * has: a hardware-assisted VMM keeps the H extension for itself, a VMM that emulates satp may offer fewer
     * page-table levels.
     *
     * @param spec the VM
     * @param isa the ISA the harts get
     * @param guestHarts what the device tree announces to the guest
     * @param vmmMemoryBytes RAM to reserve for the VMM after the guest's, a multiple of 4 KiB
     * @param console the host side of the guest console
     * @return the machine and where the guest starts
     * @throws ImageException when an image is missing, corrupt or does not fit
     * @throws IllegalArgumentException when the spec names something unknown or inconsistent
     */
    public AssembledBoard build(VmSpec spec, IsaSpec isa, GuestHarts guestHarts, long vmmMemoryBytes,
                                HostConsole console) {
        CpuProvider cpuProvider = plugins.cpus().require(spec.cpu());
        STANDARD_DEVICES.forEach(plugins.devices()::require);
        for (DeviceSpec device : spec.devices()) {
            plugins.devices().require(device.kind()); // an unknown kind before any RAM is taken
            if (STANDARD_DEVICES.contains(device.kind())) {
                throw new IllegalArgumentException(String.format("%s is on every board already; extra devices go "
                        + "into the %d virtio-mmio slots", device.kind(), PlatformLayout.VIRTIO_SLOTS));
            }
        }
        if (spec.devices().size() > PlatformLayout.VIRTIO_SLOTS) {
            throw new IllegalArgumentException(String.format("%d devices do not fit the board's %d virtio-mmio slots",
                    spec.devices().size(), PlatformLayout.VIRTIO_SLOTS));
        }
        if (vmmMemoryBytes < 0 || (vmmMemoryBytes & 0xfff) != 0) {
            throw new IllegalArgumentException("VMM memory must be a non-negative multiple of 4 KiB: " + vmmMemoryBytes);
        }
        long base = PlatformLayout.DRAM.base();
        GuestMemory ram = RamAllocator.allocate(base, spec.memoryBytes(), vmmMemoryBytes);
        List<Device> devices = new ArrayList<>();
        try {
            return assemble(spec, isa, guestHarts, vmmMemoryBytes, console, cpuProvider, ram, devices);
        } catch (RuntimeException | Error e) {
            shutDown(devices, ram).ifPresent(e::addSuppressed);
            throw e;
        }
    }

    /** Builds the board around its RAM; adds each device to {@code devices} as it is created. */
    private AssembledBoard assemble(VmSpec spec, IsaSpec isa, GuestHarts guestHarts, long vmmMemoryBytes,
                                    HostConsole console, CpuProvider cpuProvider, GuestMemory ram,
                                    List<Device> devices) {
        long base = ram.range().base();
        GuestMemoryView guestMemory = new GuestMemoryView(ram, new AddressRange(base, spec.memoryBytes()));
        Optional<AddressRange> vmmMemory = vmmMemoryBytes == 0 ? Optional.empty()
                : Optional.of(new AddressRange(base + spec.memoryBytes(), vmmMemoryBytes));
        RangeMmioBus bus = new RangeMmioBus();
        MachineCounters counters = new MachineCounters();
        AtomicReference<List<Hart>> hartsReference = new AtomicReference<>(List.of());
        DeterministicTimeSource deterministicTime = spec.deterministic()
                ? new DeterministicTimeSource(() -> retired(hartsReference.get()), INSTRUCTIONS_PER_TICK) : null;
        TimeSource time = deterministicTime != null ? deterministicTime : new HostTimeSource();

        HartResources resources = new HartResources(ram, bus, time, counters);
        List<Hart> harts = new ArrayList<>();
        for (int id = 0; id < spec.harts(); id++) {
            harts.add(hart(cpuProvider, new HartConfig(id, isa, base, Set.of(), spec.translation()), resources));
        }
        hartsReference.set(List.copyOf(harts));

        AtomicReference<VirtMachine> machineReference = new AtomicReference<>();
        DmaTracingMemory dmaMemory = new DmaTracingMemory(guestMemory);
        for (Hart hart : harts) {
            dmaMemory.addListener(hart::invalidateCode); // a disk read may land on decoded code
        }
        DeviceFactory factory = new DeviceFactory(plugins, dmaMemory, bus, time, lines(harts), console, counters,
                new FinisherControl(machineReference));
        createDevices(spec, factory, devices);
        VirtMachine machine = new VirtMachine(harts, guestMemory, ram, vmmMemory, bus, devices, time, counters,
                dmaMemory);
        machineReference.set(machine);
        console.onInput(machine.wakeUp()::signal);
        for (Hart hart : harts) {
            // An SBI console read into a buffer, a VMM's emulated store: code decoded from there must go too.
            machine.addHostWriteListener(hart::invalidateCode);
        }
        BootInfo boot = new BootImages(machine).load(spec, guestHarts, devices);
        harts.forEach(Hart::flushCaches);
        return new AssembledBoard(machine, boot, Optional.ofNullable(deterministicTime));
    }

    /**
     * Closes devices and then gives RAM outside the heap back at once, unless a device failed to close: it may still
     * reach the RAM, which the collector then frees once nothing does (an array's memory is always the collector's).
     */
    private static Optional<PluginFailure> shutDown(List<Device> devices, GuestMemory ram) {
        Optional<PluginFailure> failure = closeAll(devices);
        if (failure.isEmpty() && ram instanceof OffHeapRam offHeap) {
            offHeap.release();
        }
        return failure;
    }

    private static void createDevices(VmSpec spec, DeviceFactory factory, List<Device> devices) {
        devices.add(factory.create("clint", "clint", PlatformLayout.CLINT.range(), 0, null));
        Device plic = factory.create("plic", "plic", PlatformLayout.PLIC.range(), 0, null);
        devices.add(plic);
        if (!(plic instanceof InterruptController controller)) {
            throw new IllegalStateException("the plic device provider does not build an interrupt controller");
        }
        devices.add(factory.create("ns16550a", "uart0", PlatformLayout.UART0.range(),
                PlatformLayout.UART0.interrupt(), controller));
        devices.add(factory.create("sifive-test", "test", PlatformLayout.TEST.range(), 0, controller));
        devices.add(factory.create("goldfish-rtc", "rtc", PlatformLayout.RTC.range(), PlatformLayout.RTC.interrupt(),
                controller));
        int slot = 0;
        for (DeviceSpec device : spec.devices()) {
            devices.add(factory.create(device, device.kind() + slot, PlatformLayout.virtioSlot(slot),
                    PlatformLayout.virtioInterrupt(slot), controller));
            slot++;
        }
    }

    private static HartInterruptLines lines(List<Hart> harts) {
        return new HartInterruptLines() {
            @Override
            public int hartCount() {
                return harts.size();
            }

            @Override
            public InterruptLine line(int hartId, HartInterrupt interrupt) {
                return harts.get(hartId).interruptLine(interrupt);
            }
        };
    }

    /** Makes a hart with the CPU plugin: its mistakes are named as its own. */
    private static Hart hart(CpuProvider provider, HartConfig config, HartResources resources) {
        return PluginFailure.made("cpu '" + provider.name() + "' (" + provider.getClass().getName() + ")",
                "could not make hart " + config.hartId(), () -> provider.create(config, resources));
    }

    /**
     * Closes every device, even when one fails, so that one failing device does not keep the others' files open.
     *
     * @param devices the devices to close
     * @return the first failure, named; empty when every device closed
     */
    public static Optional<PluginFailure> closeAll(List<Device> devices) {
        PluginFailure first = null;
        for (Device device : devices) {
            try {
                device.close();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                PluginFailure failure = PluginFailure.of(PluginFailure.label(device), "failed to close", e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        return Optional.ofNullable(first);
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
    public record AssembledBoard(VirtMachine machine, BootInfo boot, Optional<DeterministicTimeSource> deterministicTime)
            implements AutoCloseable {
        /**
         * Ends the board: closes its devices and gives its RAM back, unless a device failed to close (it may still
         * reach the RAM; the collector frees it once nothing does). Only once nothing runs on it any more (the run
         * loop has returned): the board's memory must not be used afterwards.
         *
         * @throws PluginFailure when a device failed to close (every device is closed first)
         */
        @Override
        public void close() {
            Optional<PluginFailure> failure = shutDown(machine.devices(), machine.physicalMemory());
            if (failure.isPresent()) {
                throw failure.get(); // a disk that did not flush: the guest's writes may be lost
            }
        }
    }
}
