package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.fdt.FdtBuilder;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Describes the actual board as a device tree, in the layout QEMU's virt board uses, so the same kernel boots on
 * both: memory, harts with their ISA string and local interrupt controllers, /chosen (with a random seed for the
 * guest's random pool, as QEMU gives), and each device's own node.
 */
final class DeviceTree {
    /** Bytes of /chosen/rng-seed, as QEMU's virt gives (Linux credits them to its random pool at boot). */
    static final int RNG_SEED_BYTES = 32;
    /** Where deterministic runs take their seed from, so that every run's guest draws the same numbers. */
    private static final long DETERMINISTIC_SEED = 0x564d_4d4c_5345_4544L;

    private DeviceTree() {
    }

    /**
     * Builds the blob.
     *
     * @param ram guest RAM
     * @param harts number of harts
     * @param guestHarts the harts' ISA and translation modes, as the guest is told them
     * @param time platform time, for the timebase
     * @param devices the devices, each describing itself under /soc
     * @param bootArguments the kernel command line
     * @param initrd where the initial RAM disk lies, if any
     * @return the flattened tree
     */
    static byte[] build(AddressRange ram, int harts, GuestHarts guestHarts, TimeSource time, List<Device> devices,
                        String bootArguments, Optional<AddressRange> initrd) {
        FdtBuilder tree = new FdtBuilder(harts);
        tree.beginNode("");
        tree.propertyCells("#address-cells", 2);
        tree.propertyCells("#size-cells", 2);
        tree.propertyStrings("compatible", "riscv-virtio");
        tree.propertyStrings("model", "riscv-virtio,qemu");

        tree.beginNode("chosen");
        tree.propertyStrings("bootargs", bootArguments);
        tree.propertyStrings("stdout-path", String.format("/soc/serial@%x", PlatformLayout.UART0.base()));
        tree.propertyBytes("rng-seed", randomSeed(time.deterministic()));
        initrd.ifPresent(range -> {
            tree.propertyLongs("linux,initrd-start", range.base());
            tree.propertyLongs("linux,initrd-end", range.end());
        });
        tree.endNode();

        tree.beginNode(String.format("memory@%x", ram.base()));
        tree.propertyStrings("device_type", "memory");
        tree.propertyLongs("reg", ram.base(), ram.size());
        tree.endNode();

        describeHarts(tree, harts, guestHarts, time);

        tree.beginNode("soc");
        tree.propertyCells("#address-cells", 2);
        tree.propertyCells("#size-cells", 2);
        tree.propertyStrings("compatible", "simple-bus");
        tree.propertyEmpty("ranges");
        for (Device device : devices) {
            try {
                device.describe(tree);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw PluginFailure.of(PluginFailure.label(device), "could not describe itself in the device tree", e);
            }
        }
        tree.endNode();

        tree.endNode();
        return tree.build(0);
    }

    /** Fresh random bytes, or in deterministic mode the same bytes every run (no secret then: documented). */
    private static byte[] randomSeed(boolean deterministic) {
        byte[] seed = new byte[RNG_SEED_BYTES];
        if (deterministic) {
            new SplittableRandom(DETERMINISTIC_SEED).nextBytes(seed);
        } else {
            new SecureRandom().nextBytes(seed);
        }
        return seed;
    }

    private static void describeHarts(FdtBuilder tree, int harts, GuestHarts guestHarts, TimeSource time) {
        tree.beginNode("cpus");
        tree.propertyCells("#address-cells", 1);
        tree.propertyCells("#size-cells", 0);
        tree.propertyCells("timebase-frequency", (int) time.frequencyHz());
        for (int hart = 0; hart < harts; hart++) {
            tree.beginNode("cpu@" + hart);
            tree.propertyStrings("device_type", "cpu");
            tree.propertyCells("reg", hart);
            tree.propertyStrings("status", "okay");
            tree.propertyStrings("compatible", "riscv");
            tree.propertyStrings("riscv,isa", guestHarts.isa().canonical());
            tree.propertyStrings("mmu-type", guestHarts.translation().mmuType());
            tree.beginNode("interrupt-controller");
            tree.propertyCells("#interrupt-cells", 1);
            tree.propertyEmpty("interrupt-controller");
            tree.propertyStrings("compatible", "riscv,cpu-intc");
            tree.propertyCells("phandle", tree.hartInterruptControllerPhandle(hart));
            tree.endNode();
            tree.endNode();
        }
        tree.endNode();
    }
}
