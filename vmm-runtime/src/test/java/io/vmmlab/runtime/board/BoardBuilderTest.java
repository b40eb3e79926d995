package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.api.testing.RecordingConsole;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.fdt.FdtDecoder;
import io.vmmlab.runtime.loader.ImageException;
import io.vmmlab.runtime.memory.DmaTracingMemory;
import io.vmmlab.runtime.memory.RangeMmioBus;
import io.vmmlab.runtime.metrics.MachineCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Assembles whole boards from the real CPU and device providers (found by ServiceLoader) and decodes the device
 * tree the guest receives, checking it against the board's actual configuration.
 */
final class BoardBuilderTest {
    private static final HostConsole NO_CONSOLE = new RecordingConsole(); // no guest runs: nothing is written

    @TempDir
    Path directory;

    private BoardBuilder.AssembledBoard board;

    @AfterEach
    void closeBoard() {
        if (board != null) {
            board.close();
        }
    }

    private VmSpec spec(int harts, String isa, String firmware, Path kernel, Optional<Path> initrd,
                        List<DeviceSpec> devices) {
        return new VmSpec("native", Optional.empty(), "interpreter", IsaSpec.parse(isa), harts, 128L << 20,
                Optional.of(kernel), initrd, "console=ttyS0 quiet", firmware, devices, 0, Duration.ZERO, true);
    }

    private Path file(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7 + 1);
        }
        return Files.write(directory.resolve(name), bytes);
    }

    private FdtDecoder.Node deviceTree() {
        AddressRange range = board.boot().deviceTree();
        byte[] blob = new byte[(int) range.size()];
        board.machine().memory().read(range.base(), blob, 0, blob.length);
        return FdtDecoder.decode(blob);
    }

    @Test
    void deviceTreeDescribesTheBoardAsBuilt() throws IOException {
        Path kernel = file("kernel.bin", 8192);
        Path initrd = file("initrd.img", 5000);
        Path disk = file("disk.img", 1 << 20);
        IsaSpec isa = IsaSpec.parse("rv64imac_sstc");
        board = new BoardBuilder(Plugins.discover()).build(spec(2, "rv64imac_sstc", "builtin", kernel,
                Optional.of(initrd), List.of(new DeviceSpec("virtio-blk", Map.of("path", disk.toString())))),
                isa, 0, NO_CONSOLE);

        FdtDecoder.Node root = deviceTree();
        assertThat(root.strings("compatible")).containsExactly("riscv-virtio");
        assertThat(root.cells("#address-cells")).containsExactly(2);

        FdtDecoder.Node chosen = root.child("chosen");
        assertThat(chosen.strings("bootargs")).containsExactly("console=ttyS0 quiet");
        assertThat(chosen.strings("stdout-path")).containsExactly("/soc/serial@10000000");
        AddressRange initrdRange = board.boot().initrd().orElseThrow();
        assertThat(chosen.cells("linux,initrd-start"))
                .containsExactly((int) (initrdRange.base() >>> 32), (int) initrdRange.base());
        assertThat(chosen.cells("linux,initrd-end"))
                .containsExactly((int) (initrdRange.end() >>> 32), (int) initrdRange.end());
        assertThat(initrdRange.size()).isEqualTo(5000);
        byte[] loaded = new byte[5000];
        board.machine().memory().read(initrdRange.base(), loaded, 0, loaded.length);
        assertThat(loaded).isEqualTo(Files.readAllBytes(initrd));

        assertThat(root.child("memory@80000000").cells("reg")).containsExactly(0, 0x8000_0000, 0, 128 << 20);

        FdtDecoder.Node cpus = root.child("cpus");
        assertThat(cpus.cells("timebase-frequency")).containsExactly(10_000_000);
        int[] hartPhandles = new int[2];
        for (int hart = 0; hart < 2; hart++) {
            FdtDecoder.Node cpu = cpus.child("cpu@" + hart);
            assertThat(cpu.cells("reg")).containsExactly(hart);
            assertThat(cpu.strings("riscv,isa")).containsExactly(isa.canonical());
            assertThat(cpu.strings("mmu-type")).containsExactly("riscv,sv57");
            assertThat(cpu.strings("device_type")).containsExactly("cpu");
            FdtDecoder.Node interruptController = cpu.child("interrupt-controller");
            assertThat(interruptController.strings("compatible")).containsExactly("riscv,cpu-intc");
            hartPhandles[hart] = interruptController.cells("phandle")[0];
        }
        assertThat(hartPhandles[0]).isNotEqualTo(hartPhandles[1]);

        FdtDecoder.Node soc = root.child("soc");
        assertThat(soc.child("clint@2000000").cells("interrupts-extended"))
                .containsExactly(hartPhandles[0], 3, hartPhandles[0], 7, hartPhandles[1], 3, hartPhandles[1], 7);
        FdtDecoder.Node plic = soc.child("plic@c000000");
        int plicPhandle = plic.cells("phandle")[0];
        assertThat(plic.cells("interrupts-extended"))
                .containsExactly(hartPhandles[0], 11, hartPhandles[0], 9, hartPhandles[1], 11, hartPhandles[1], 9);
        FdtDecoder.Node serial = soc.child("serial@10000000");
        assertThat(serial.strings("compatible")).containsExactly("ns16550a");
        assertThat(serial.cells("interrupts")).containsExactly(10);
        assertThat(serial.cells("interrupt-parent")).containsExactly(plicPhandle);
        FdtDecoder.Node virtio = soc.child("virtio_mmio@10001000");
        assertThat(virtio.strings("compatible")).containsExactly("virtio,mmio");
        assertThat(virtio.cells("reg")).containsExactly(0, 0x1000_1000, 0, 0x1000);
        assertThat(virtio.cells("interrupts")).containsExactly(1);
        assertThat(virtio.cells("interrupt-parent")).containsExactly(plicPhandle);
        assertThat(soc.child("test@100000").strings("compatible")).contains("sifive,test0");
        FdtDecoder.Node rtc = soc.child("rtc@101000");
        assertThat(rtc.strings("compatible")).containsExactly("google,goldfish-rtc");
        assertThat(rtc.cells("interrupts")).containsExactly(11);
        assertThat(rtc.cells("interrupt-parent")).containsExactly(plicPhandle);
        assertThat(chosen.property("rng-seed")).hasSize(DeviceTree.RNG_SEED_BYTES);
    }

    /** The guest's random seed: the same in every deterministic run, fresh in every run that follows the host. */
    @Test
    void deterministicRunsGiveTheGuestTheSameRandomSeed() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        byte[] first = seed(kernel, true);
        assertThat(seed(kernel, true)).isEqualTo(first).isNotEqualTo(new byte[DeviceTree.RNG_SEED_BYTES]);
        byte[] hostTime = seed(kernel, false);
        assertThat(seed(kernel, false)).isNotEqualTo(hostTime);
    }

    private byte[] seed(Path kernel, boolean deterministic) {
        VmSpec spec = spec(1, "rv64imac_sstc", "builtin", kernel, Optional.empty(), List.of());
        spec = new VmSpec(spec.strategy(), spec.technique(), spec.cpu(), spec.isa(), spec.harts(), spec.memoryBytes(),
                spec.kernel(), spec.initrd(), spec.append(), spec.firmware(), spec.devices(), spec.maxInstructions(),
                spec.timeout(), deterministic);
        if (board != null) {
            board.close();
        }
        board = new BoardBuilder(Plugins.discover()).build(spec, spec.isa(), 0, NO_CONSOLE);
        return deviceTree().child("chosen").property("rng-seed");
    }

    /** Closing the board gives its RAM back: a block outside the heap goes at once, and the old RAM is unusable. */
    @Test
    void closingTheBoardReleasesItsRam() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        board = new BoardBuilder(Plugins.discover()).build(spec(1, "rv64imac", "builtin", kernel, Optional.empty(),
                List.of()), IsaSpec.parse("rv64imac"), 0, NO_CONSOLE);
        GuestMemory ram = board.machine().physicalMemory();
        long base = PlatformLayout.DRAM.base();
        ram.write64(base + 4096, 42);

        board.close();

        assertThat(ram).isInstanceOf(OffHeapRam.class); // the build allows it on every JDK, as ./vmm does
        assertThatThrownBy(() -> ram.read64(base + 4096)).isInstanceOf(MemoryAccessException.class);
        board = null;
    }

    /**
     * A device that fails to close may still reach the RAM: closing the board then leaves it to the collector, and
     * says which device failed (a disk that did not flush may have lost the guest's writes).
     */
    @Test
    void aDeviceThatFailsToCloseKeepsTheRamAndIsNamed() {
        OffHeapRam ram = new OffHeapRam(PlatformLayout.DRAM.base(), 1 << 20);
        Device stuck = mock(Device.class);
        when(stuck.name()).thenReturn("stuck");
        doThrow(new IllegalStateException("worker still running")).when(stuck).close();
        VirtMachine machine = new VirtMachine(List.of(), ram, ram, Optional.empty(), new RangeMmioBus(),
                List.of(stuck), mock(TimeSource.class), new MachineCounters(), new DmaTracingMemory(ram));

        assertThatThrownBy(() -> new BoardBuilder.AssembledBoard(machine, null, Optional.empty()).close())
                .isInstanceOf(PluginFailure.class)
                .hasMessageStartingWith("device 'stuck' (")
                .hasMessageEndingWith(") failed to close: java.lang.IllegalStateException: worker still running");

        ram.write64(PlatformLayout.DRAM.base(), 7);
        assertThat(ram.read64(PlatformLayout.DRAM.base())).isEqualTo(7);
        assertThat(ram.hostAddress()).isNotZero();
        ram.release();
    }

    @Test
    void bootProtocolFollowsTheFirmwareChoice() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        board = new BoardBuilder(Plugins.discover()).build(spec(1, "rv64imac", "builtin", kernel, Optional.empty(),
                List.of()), IsaSpec.parse("rv64imac"), 0, NO_CONSOLE);
        assertThat(board.boot().entry()).isEqualTo(PlatformLayout.KERNEL_WITH_FIRMWARE);
        assertThat(board.boot().entryMode()).isEqualTo(PrivilegeMode.SUPERVISOR);
        assertThat(board.boot().firmwareInfo()).isZero();
        assertThat(deviceTree().child("cpus").child("cpu@0").strings("riscv,isa"))
                .containsExactly("rv64imac_zicntr_zicsr_zifencei");
        board.close();

        Path firmware = file("firmware.bin", 4096);
        board = new BoardBuilder(Plugins.discover()).build(spec(1, "rv64imac", firmware.toString(), kernel,
                Optional.empty(), List.of()), IsaSpec.parse("rv64imac"), 0, NO_CONSOLE);
        assertThat(board.boot().entry()).isEqualTo(PlatformLayout.DRAM.base());
        assertThat(board.boot().entryMode()).isEqualTo(PrivilegeMode.MACHINE);
        long info = board.boot().firmwareInfo();
        assertThat(board.machine().memory().read64(info)).isEqualTo(0x4942_534fL);
        assertThat(board.machine().memory().read64(info + 16)).isEqualTo(PlatformLayout.KERNEL_WITH_FIRMWARE);
        assertThat(board.machine().memory().read64(info + 24)).isEqualTo(1);
    }

    /** A 16 MiB board running a firmware file alone, with or without an initrd. */
    private VmSpec firmwareAlone(Path firmware, Optional<Path> initrd) {
        return new VmSpec("native", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 16L << 20,
                Optional.empty(), initrd, "", firmware.toString(), List.of(), 0, Duration.ZERO, false);
    }

    @Test
    void anInitrdGoesAfterALargeFirmwareFileNotIntoIt() throws IOException {
        Path firmware = file("firmware.bin", 12 << 20);
        Path initrd = file("initrd.img", 4096);
        board = new BoardBuilder(Plugins.discover()).build(firmwareAlone(firmware, Optional.of(initrd)),
                IsaSpec.parse("rv64imac"), 0, NO_CONSOLE);

        // The initrd went to the middle of RAM, inside the firmware's 12 MiB, and replaced 4 KiB of it.
        AddressRange loaded = board.boot().initrd().orElseThrow();
        assertThat(loaded.base()).isGreaterThanOrEqualTo(PlatformLayout.DRAM.base() + (12 << 20));
        byte[] expected = Files.readAllBytes(firmware);
        byte[] inRam = new byte[expected.length];
        board.machine().memory().read(PlatformLayout.DRAM.base(), inRam, 0, inRam.length);
        assertThat(inRam).isEqualTo(expected);
    }

    @Test
    void aFirmwareFileReachingTheDeviceTreeIsRefusedAsAKernelIs() throws IOException {
        Path firmware = file("firmware.bin", 15 << 20);

        // The tree was written over the firmware's last MiB.
        assertThatThrownBy(() -> board = new BoardBuilder(Plugins.discover()).build(firmwareAlone(firmware,
                Optional.empty()), IsaSpec.parse("rv64imac"), 0, NO_CONSOLE)).isInstanceOf(ImageException.class)
                .hasMessage("the images leave no room for the device tree at the end of RAM (try a larger --mem)");
    }

    @Test
    void aBadSecondDiskClosesTheDevicesAlreadyBuiltAndNamesTheFile() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        Path disk = file("disk.img", 1 << 20);
        VmSpec spec = spec(1, "rv64imac", "builtin", kernel, Optional.empty(), List.of(
                new DeviceSpec("virtio-blk", Map.of("path", disk.toString())),
                new DeviceSpec("virtio-blk", Map.of("path", directory.resolve("missing.img").toString()))));
        assertThatThrownBy(() -> new BoardBuilder(Plugins.discover()).build(spec, IsaSpec.parse("rv64imac"), 0,
                NO_CONSOLE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.img");
        // The first disk was closed: it can be deleted and recreated without a lingering writer.
        Files.delete(disk);
    }

    @Test
    void anImageThatDoesNotFitIsRefusedWithItsName() throws IOException {
        Path kernel = file("huge.bin", 2 << 20);
        VmSpec spec = new VmSpec("native", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 1L << 20,
                Optional.of(kernel), Optional.empty(), "", "none", List.of(), 0, Duration.ZERO, false);
        assertThatThrownBy(() -> board = new BoardBuilder(Plugins.discover()).build(spec, IsaSpec.parse("rv64imac"), 0,
                NO_CONSOLE)).isInstanceOf(ImageException.class).hasMessageContaining("huge.bin")
                .hasMessageContaining("do not fit guest RAM");
    }

    @Test
    void vmmMemoryLiesAfterTheGuestsAndDevicesCannotReachIt() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        board = new BoardBuilder(Plugins.discover()).build(spec(1, "rv64imac", "builtin", kernel, Optional.empty(),
                List.of()), IsaSpec.parse("rv64imac"), 1 << 20, NO_CONSOLE);
        AddressRange guest = board.machine().memory().range();
        AddressRange vmm = board.machine().vmmMemory().orElseThrow();
        assertThat(guest).isEqualTo(new AddressRange(0x8000_0000L, 128L << 20));
        assertThat(vmm).isEqualTo(new AddressRange(guest.end(), 1 << 20));
        assertThat(board.machine().physicalMemory().range()).isEqualTo(new AddressRange(guest.base(),
                guest.size() + vmm.size()));
        board.machine().physicalMemory().write64(vmm.base(), 42);
        assertThatThrownBy(() -> board.machine().memory().read64(vmm.base()))
                .isInstanceOf(io.vmmlab.api.memory.MemoryAccessException.class);
        assertThat(deviceTree().child("memory@80000000").cells("reg")).containsExactly(0, 0x8000_0000, 0, 128 << 20);
    }

    @Test
    void aLargeGuestGetsRamOutsideTheHeapAndBootsFromIt() throws IOException {
        Path kernel = file("kernel.bin", 4096);
        VmSpec spec = new VmSpec("native", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 512L << 20,
                Optional.of(kernel), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        board = new BoardBuilder(Plugins.discover()).build(spec, IsaSpec.parse("rv64imac"), 1 << 20, NO_CONSOLE);

        assertThat(board.machine().physicalMemory()).isInstanceOf(OffHeapRam.class);
        assertThat(board.machine().memory().range()).isEqualTo(new AddressRange(0x8000_0000L, 512L << 20));
        assertThat(deviceTree().child("memory@80000000").cells("reg")).containsExactly(0, 0x8000_0000, 0, 512 << 20);
    }
}
