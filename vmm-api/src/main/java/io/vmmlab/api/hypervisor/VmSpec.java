package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.DeviceSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that defines one virtual machine: strategy, CPU, board, guest images and limits.
 *
 * @param strategy the strategy name, such as {@code "native"} or {@code "fullvirt"}
 * @param technique the strategy's technique variant, or empty for its default
 * @param cpu the CPU provider name, such as {@code "interpreter"}
 * @param isa the harts' extensions
 * @param translation the largest virtual-memory system the harts offer (Sv57 unless asked for less)
 * @param harts number of harts, 1 to {@link #MAX_HARTS}
 * @param memoryBytes RAM size in bytes
 * @param kernel the kernel image (ELF or raw), or empty when only firmware runs
 * @param initrd an initial RAM disk, or empty
 * @param append the kernel command line
 * @param firmware {@code "builtin"}, {@code "none"}, or a path to an M-mode firmware image
 * @param devices extra devices, in the order given
 * @param maxInstructions stop after this many guest instructions (summed over harts); 0 for no limit
 * @param timeout stop after this much wall time; zero for no limit
 * @param deterministic derive time from retired instructions so runs are reproducible
 */
public record VmSpec(String strategy, Optional<String> technique, String cpu, IsaSpec isa,
                     AddressTranslation translation, int harts, long memoryBytes, Optional<Path> kernel,
                     Optional<Path> initrd, String append, String firmware, List<DeviceSpec> devices,
                     long maxInstructions, Duration timeout, boolean deterministic) {
    /** The most harts a machine has. */
    public static final int MAX_HARTS = 8;

    /** Checks the values and freezes the lists. */
    public VmSpec {
        Objects.requireNonNull(strategy, "strategy is null");
        Objects.requireNonNull(technique, "technique is null");
        Objects.requireNonNull(cpu, "cpu is null");
        Objects.requireNonNull(isa, "isa is null");
        Objects.requireNonNull(translation, "translation is null");
        Objects.requireNonNull(kernel, "kernel is null");
        Objects.requireNonNull(initrd, "initrd is null");
        Objects.requireNonNull(append, "append is null");
        Objects.requireNonNull(firmware, "firmware is null");
        Objects.requireNonNull(timeout, "timeout is null");
        if (harts < 1 || harts > MAX_HARTS) {
            throw new IllegalArgumentException("harts must be 1 to " + MAX_HARTS + ": " + harts);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memory must be positive: " + memoryBytes);
        }
        if (maxInstructions < 0) {
            throw new IllegalArgumentException("instruction limit must not be negative: " + maxInstructions);
        }
        devices = List.copyOf(devices);
    }

    /**
     * A VM whose harts offer Sv57 (and Sv48, Sv39), as QEMU's {@code virt} harts do.
     *
     * @param strategy the strategy name
     * @param technique the strategy's technique variant, or empty for its default
     * @param cpu the CPU provider name
     * @param isa the harts' extensions
     * @param harts number of harts, 1 to {@link #MAX_HARTS}
     * @param memoryBytes RAM size in bytes
     * @param kernel the kernel image, or empty
     * @param initrd an initial RAM disk, or empty
     * @param append the kernel command line
     * @param firmware {@code "builtin"}, {@code "none"}, or a path to an M-mode firmware image
     * @param devices extra devices, in the order given
     * @param maxInstructions the instruction limit; 0 for none
     * @param timeout the wall-time limit; zero for none
     * @param deterministic derive time from retired instructions
     */
    public VmSpec(String strategy, Optional<String> technique, String cpu, IsaSpec isa, int harts, long memoryBytes,
                  Optional<Path> kernel, Optional<Path> initrd, String append, String firmware,
                  List<DeviceSpec> devices, long maxInstructions, Duration timeout, boolean deterministic) {
        this(strategy, technique, cpu, isa, AddressTranslation.SV57, harts, memoryBytes, kernel, initrd, append,
                firmware, devices, maxInstructions, timeout, deterministic);
    }

    /**
     * Returns this spec with another technique. The runtime hands strategies the spec it runs: the technique filled
     * in with the strategy's default when the user named none.
     *
     * @param variant the technique, or empty for a strategy without variants
     * @return the new spec
     */
    public VmSpec withTechnique(Optional<String> variant) {
        return new VmSpec(strategy, variant, cpu, isa, translation, harts, memoryBytes, kernel, initrd, append,
                firmware, devices, maxInstructions, timeout, deterministic);
    }

    /**
     * Returns this spec with other devices.
     *
     * @param attached the devices, in order
     * @return the new spec
     */
    public VmSpec withDevices(List<DeviceSpec> attached) {
        return new VmSpec(strategy, technique, cpu, isa, translation, harts, memoryBytes, kernel, initrd, append,
                firmware, attached, maxInstructions, timeout, deterministic);
    }

    /**
     * Returns this spec with other hart extensions. The runtime hands strategies the spec it runs: the ISA the harts
     * get, with H added or removed as the strategy's {@link io.vmmlab.api.spi.BoardRequirement}s ask.
     *
     * @param extensions the harts' extensions
     * @return the new spec
     */
    public VmSpec withIsa(IsaSpec extensions) {
        return new VmSpec(strategy, technique, cpu, extensions, translation, harts, memoryBytes, kernel, initrd,
                append, firmware, devices, maxInstructions, timeout, deterministic);
    }
}
