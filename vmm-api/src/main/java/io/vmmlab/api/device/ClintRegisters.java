package io.vmmlab.api.device;

/**
 * Where the board's core-local interruptor (SiFive CLINT, as on QEMU's {@code virt}) keeps each hart's software
 * interrupt and timer compare registers and the shared {@code mtime}: the addresses a hypervisor writes to raise an
 * IPI on a hart or arm its machine timer through {@link io.vmmlab.api.hypervisor.Machine#mmio()}.
 */
public final class ClintRegisters {
    /** The CLINT's base address on the board. */
    public static final long BASE = 0x0200_0000L;
    /** The CLINT window's size. */
    public static final long SIZE = 0x1_0000L;
    /** Offset of hart 0's {@code msip} (32 bits, bit 0; one per hart, 4 bytes apart). */
    public static final long MSIP_OFFSET = 0x0;
    /** Offset of hart 0's {@code mtimecmp} (64 bits; one per hart, 8 bytes apart). */
    public static final long MTIMECMP_OFFSET = 0x4000;
    /** Offset of {@code mtime} (64 bits). */
    public static final long MTIME_OFFSET = 0xbff8;

    private ClintRegisters() {
    }

    /**
     * Returns the address of a hart's {@code msip}: write 1 (4 bytes) to raise its machine software interrupt, 0 to
     * clear it.
     *
     * @param hartId the hart
     * @return the physical address
     */
    public static long msip(int hartId) {
        return BASE + MSIP_OFFSET + 4L * hartId;
    }

    /**
     * Returns the address of a hart's {@code mtimecmp}: its machine timer interrupt is pending while
     * {@code mtime >= mtimecmp} (unsigned).
     *
     * @param hartId the hart
     * @return the physical address
     */
    public static long mtimecmp(int hartId) {
        return BASE + MTIMECMP_OFFSET + 8L * hartId;
    }
}
