package io.vmmlab.devices;

import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.memory.AddressRange;

/**
 * Small helpers for the properties every device node has.
 *
 * <p>Devices are described under {@code /soc}, which on the virt board has {@code #address-cells = <2>} and
 * {@code #size-cells = <2>} (as QEMU's {@code hw/riscv/virt.c} writes it), so a {@code reg} entry is four cells.
 */
public final class DeviceTreeNodes {

    private DeviceTreeNodes() {
    }

    /**
     * Returns a node name with its unit address, such as {@code "serial@10000000"}.
     *
     * @param name the node name
     * @param range the device window; its base is the unit address
     * @return the full node name
     */
    public static String nodeName(String name, AddressRange range) {
        return String.format("%s@%x", name, range.base());
    }

    /**
     * Returns the cells of a {@code reg} property with two address and two size cells.
     *
     * @param range the device window
     * @return {@code <base-high base-low size-high size-low>}
     */
    public static int[] reg(AddressRange range) {
        return new int[] {
            (int) (range.base() >>> 32), (int) range.base(), (int) (range.size() >>> 32), (int) range.size()
        };
    }

    /**
     * Writes the {@code interrupts} and {@code interrupt-parent} properties of a device wired to the platform
     * interrupt controller.
     *
     * @param tree the writer, inside the device's node
     * @param interruptNumber the source number at the interrupt controller
     */
    public static void interrupt(DeviceTreeWriter tree, int interruptNumber) {
        tree.propertyCells("interrupts", interruptNumber);
        tree.propertyCells("interrupt-parent", tree.interruptControllerPhandle());
    }
}
