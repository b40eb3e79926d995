package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.memory.AddressRange;

import java.util.Optional;

/**
 * Where the loaded guest starts, after the runtime placed the images and the device tree in RAM. The boot
 * protocol is QEMU's: a0 = hart id, a1 = device-tree address, pc = entry.
 *
 * @param entry the first instruction the boot hart runs
 * @param entryMode the privilege the guest expects at entry: M-mode for firmware and bare-metal images,
 *                  S-mode for a kernel
 * @param deviceTree where the flattened device tree lies in guest RAM
 * @param kernel where the kernel image lies, or empty
 * @param initrd where the initial RAM disk lies, or empty
 * @param firmwareInfo the value for a2 at entry: the address of an OpenSBI {@code fw_dynamic_info} block when a
 *                     firmware file runs with a kernel after it (as QEMU passes), otherwise 0
 */
public record BootInfo(long entry, PrivilegeMode entryMode, AddressRange deviceTree, Optional<AddressRange> kernel,
                       Optional<AddressRange> initrd, long firmwareInfo) {
}
