package io.vmmlab.devices.virtio;

/**
 * Offsets and values of the virtio-mmio version 2 register layout (virtio spec §4.2.2, "MMIO Device Register
 * Layout"), the device status bits (§2.1) and the transport feature bits (§6, "Reserved Feature Bits").
 */
public final class VirtioMmioRegisters {
    /** "virt" in little-endian. */
    public static final int MAGIC = 0x74726976;
    /** The non-legacy transport version. */
    public static final int VERSION = 2;
    /** QEMU's vendor ID ("QEMU"), so guests treat the device exactly as on QEMU. */
    public static final int VENDOR_ID = 0x554d4551;

    public static final int MAGIC_VALUE = 0x000;
    public static final int VERSION_REGISTER = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR_ID_REGISTER = 0x00c;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_NUM_MAX = 0x034;
    public static final int QUEUE_NUM = 0x038;
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0a0;
    public static final int QUEUE_DEVICE_HIGH = 0x0a4;
    public static final int SHM_LEN_LOW = 0x0b0;
    public static final int SHM_LEN_HIGH = 0x0b4;
    public static final int SHM_BASE_LOW = 0x0b8;
    public static final int SHM_BASE_HIGH = 0x0bc;
    public static final int CONFIG_GENERATION = 0x0fc;
    public static final int CONFIG = 0x100;

    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_DEVICE_NEEDS_RESET = 64;
    public static final int STATUS_FAILED = 128;

    /** InterruptStatus bit 0: a queue has used buffers. */
    public static final int INTERRUPT_USED_BUFFER = 1;
    /** InterruptStatus bit 1: the configuration (or the device status) changed. */
    public static final int INTERRUPT_CONFIG_CHANGE = 2;

    /** §6: the driver may use indirect descriptors. */
    public static final long VIRTIO_F_INDIRECT_DESC = 1L << 28;
    /** §6: the device complies with virtio 1.0 or later (no legacy interface). */
    public static final long VIRTIO_F_VERSION_1 = 1L << 32;

    private VirtioMmioRegisters() {
    }
}
