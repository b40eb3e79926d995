package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.runtime.loader.ImageException;
import io.vmmlab.runtime.loader.ImageLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Places the guest's images in its RAM the way QEMU's virt board does, and says where it starts: a firmware file
 * at the start of RAM with the kernel at 0x8020_0000, or (built-in firmware) the kernel alone at 0x8020_0000, or
 * (no firmware) the image itself at its ELF addresses; the initrd after them, in the upper half when it fits; the
 * device tree near the end of the guest's RAM; an OpenSBI {@code fw_dynamic_info} block after it when a firmware
 * file runs a kernel. Nothing is placed over anything else.
 */
final class BootImages {
    private static final Logger log = LoggerFactory.getLogger(BootImages.class);
    private static final long FDT_ALIGNMENT = 2L << 20;
    private static final long FIRMWARE_INFO_MAGIC = 0x4942_534fL;
    private static final AddressRange FIRMWARE_REGION = new AddressRange(PlatformLayout.DRAM.base(),
            PlatformLayout.KERNEL_WITH_FIRMWARE - PlatformLayout.DRAM.base());

    private final VirtMachine machine;
    private final GuestMemory memory;
    private final ImageLoader loader;

    BootImages(VirtMachine machine) {
        this.machine = machine;
        this.memory = machine.memory();
        this.loader = new ImageLoader(memory);
    }

    BootInfo load(VmSpec spec, GuestHarts guestHarts, List<Device> devices) {
        boolean builtin = spec.firmware().equals("builtin");
        boolean none = spec.firmware().equals("none");
        Optional<ImageLoader.LoadedImage> firmware = Optional.empty();
        if (!builtin && !none) {
            Path path = Path.of(spec.firmware());
            firmware = Optional.of(loader.load(path, ImageLoader.read(path), PlatformLayout.DRAM.base()));
        } else if (spec.kernel().isEmpty()) {
            throw new ImageException("no kernel given: the VM spec names no kernel (VmSpec.kernel; --kernel FILE) and "
                    + "no firmware file to run alone (VmSpec.firmware; --bios FILE)");
        }
        Optional<ImageLoader.LoadedImage> kernel = loadKernel(spec, none);
        checkPlacement(builtin, firmware, kernel);
        Optional<AddressRange> initrd = loadInitrd(spec, firmware, kernel);

        byte[] tree = DeviceTree.build(memory.range(), spec.harts(), guestHarts, machine.time(), devices, spec.append(),
                initrd);
        AddressRange treeRange = new AddressRange((memory.range().end() - tree.length - 64) & -FDT_ALIGNMENT,
                tree.length);
        if (kernel.isPresent() && kernel.get().range().overlaps(treeRange)
                || firmware.isPresent() && firmware.get().range().overlaps(treeRange)
                || initrd.isPresent() && initrd.get().overlaps(treeRange)) {
            throw new ImageException("the images leave no room for the device tree at the end of RAM "
                    + "(try a larger --mem)");
        }
        memory.write(treeRange.base(), tree, 0, tree.length);

        long firmwareInfo = 0;
        if (firmware.isPresent() && kernel.isPresent()) {
            firmwareInfo = treeRange.end() + 64 & ~7L;
            writeFirmwareInfo(firmwareInfo, kernel.get().entry());
        }
        long entry = firmware.or(() -> kernel).orElseThrow().entry();
        PrivilegeMode mode = builtin ? PrivilegeMode.SUPERVISOR : PrivilegeMode.MACHINE;
        return new BootInfo(entry, mode, treeRange, kernel.map(ImageLoader.LoadedImage::range), initrd, firmwareInfo);
    }

    private Optional<ImageLoader.LoadedImage> loadKernel(VmSpec spec, boolean none) {
        if (spec.kernel().isEmpty()) {
            return Optional.empty();
        }
        Path path = spec.kernel().get();
        long rawAddress = none ? PlatformLayout.DRAM.base() : PlatformLayout.KERNEL_WITH_FIRMWARE;
        ImageLoader.LoadedImage kernel = loader.load(path, ImageLoader.read(path), rawAddress);
        kernel.elf().flatMap(elf -> elf.symbol("tohost")).ifPresent(this::mapHostTarget);
        return Optional.of(kernel);
    }

    private static void checkPlacement(boolean builtin, Optional<ImageLoader.LoadedImage> firmware,
                                       Optional<ImageLoader.LoadedImage> kernel) {
        if (builtin && kernel.isPresent() && kernel.get().range().overlaps(FIRMWARE_REGION)) {
            throw new ImageException(String.format("kernel at %s overlaps the firmware region %s: an S-mode kernel "
                    + "starts at 0x%x; run bare-metal M-mode images with --bios none",
                    kernel.get().range(), FIRMWARE_REGION, PlatformLayout.KERNEL_WITH_FIRMWARE));
        }
        if (firmware.isPresent() && kernel.isPresent() && firmware.get().range().overlaps(kernel.get().range())) {
            throw new ImageException(String.format("kernel at %s overlaps firmware at %s",
                    kernel.get().range(), firmware.get().range()));
        }
    }

    /** Places the initrd after the images (a firmware file at the start of RAM lies below a kernel). */
    private Optional<AddressRange> loadInitrd(VmSpec spec, Optional<ImageLoader.LoadedImage> firmware,
                                              Optional<ImageLoader.LoadedImage> kernel) {
        if (spec.initrd().isEmpty()) {
            return Optional.empty();
        }
        Path path = spec.initrd().get();
        byte[] bytes = ImageLoader.read(path);
        AddressRange ram = memory.range();
        long start = Stream.of(firmware, kernel).flatMap(Optional::stream).mapToLong(image -> image.range().end())
                .max().orElse(ram.base());
        long address = Math.max(start, ram.base() + ram.size() / 2) + 0xfff & ~0xfffL;
        if (address + bytes.length > ram.end() - FDT_ALIGNMENT * 2) {
            address = start + 0xfff & ~0xfffL;
        }
        return Optional.of(loader.loadRaw(path.toString(), bytes, address).range());
    }

    private void writeFirmwareInfo(long address, long kernelEntry) {
        memory.write64(address, FIRMWARE_INFO_MAGIC);
        memory.write64(address + 8, 2);
        memory.write64(address + 16, kernelEntry);
        memory.write64(address + 24, PrivilegeMode.SUPERVISOR.encoding());
        memory.write64(address + 32, 0);
        memory.write64(address + 40, 0);
    }

    /**
     * Overlays the {@code tohost} word (8 bytes) with the host-target interface; the rest of its page stays plain RAM,
     * code included (the hart fetches instructions from RAM under a device window).
     */
    private void mapHostTarget(long tohost) {
        if (!memory.range().contains(tohost, 8)) {
            throw new ImageException(String.format("tohost at 0x%x lies outside guest RAM", tohost));
        }
        machine.mmio().map("htif", new AddressRange(tohost, 8),
                new HostTargetInterface(memory, tohost, tohost, machine));
        log.info("Host-target interface at tohost=0x{}", Long.toHexString(tohost));
    }
}
