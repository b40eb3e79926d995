package io.vmmlab.runtime.board;

import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.memory.AddressRange;

/**
 * The memory map of QEMU's {@code virt} board (hw/riscv/virt.c), as one table used both to place devices and to
 * describe them in the device tree. Interrupt numbers are PLIC sources.
 */
public enum PlatformLayout {
    /** SiFive test finisher: power off, fail, reset. */
    TEST(0x0010_0000L, 0x1000, 0),
    /** Goldfish real-time clock: wall-clock time and an alarm. */
    RTC(0x0010_1000L, 0x1000, 11),
    /** Core-local interruptor: mtime, mtimecmp, msip. */
    CLINT(ClintRegisters.BASE, ClintRegisters.SIZE, 0),
    /** Platform-level interrupt controller. */
    PLIC(0x0c00_0000L, 0x60_0000, 0),
    /** NS16550A UART. */
    UART0(0x1000_0000L, 0x100, 10),
    /** The first of eight virtio-mmio slots, each 0x1000 bytes, on interrupts 1 to 8. */
    VIRTIO(0x1000_1000L, 0x1000, 1),
    /** Main memory. */
    DRAM(0x8000_0000L, 0, 0);

    /** Number of virtio-mmio slots. */
    public static final int VIRTIO_SLOTS = 8;
    /** Where a kernel goes when a firmware occupies the start of RAM (QEMU's rule for RV64). */
    public static final long KERNEL_WITH_FIRMWARE = 0x8020_0000L;

    private final long base;
    private final long size;
    private final int interrupt;

    PlatformLayout(long base, long size, int interrupt) {
        this.base = base;
        this.size = size;
        this.interrupt = interrupt;
    }

    /**
     * Returns the window's base address.
     *
     * @return the base
     */
    public long base() {
        return base;
    }

    /**
     * Returns the window of this entry (not for {@link #DRAM}, whose size is the user's).
     *
     * @return the range
     */
    public AddressRange range() {
        return new AddressRange(base, size);
    }

    /**
     * Returns the PLIC source number, or 0.
     *
     * @return the interrupt
     */
    public int interrupt() {
        return interrupt;
    }

    /**
     * Returns the window of one virtio-mmio slot.
     *
     * @param slot 0 to {@link #VIRTIO_SLOTS} - 1
     * @return the range
     */
    public static AddressRange virtioSlot(int slot) {
        if (slot < 0 || slot >= VIRTIO_SLOTS) {
            throw new IllegalArgumentException("at most " + VIRTIO_SLOTS + " virtio devices fit the board");
        }
        return new AddressRange(VIRTIO.base + slot * VIRTIO.size, VIRTIO.size);
    }

    /**
     * Returns the PLIC source of one virtio-mmio slot.
     *
     * @param slot 0 to 7
     * @return the interrupt number
     */
    public static int virtioInterrupt(int slot) {
        return VIRTIO.interrupt + slot;
    }
}
