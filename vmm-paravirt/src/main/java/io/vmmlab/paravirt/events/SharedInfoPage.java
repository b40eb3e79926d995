package io.vmmlab.paravirt.events;

import io.vmmlab.api.memory.GuestMemory;

import java.util.Objects;

/**
 * The page the guest kernel and the VMM share, like Xen's {@code shared_info} and {@code vcpu_info}: a guest page
 * the kernel registers once, read and written by both without a hypercall. Layout (all fields 64-bit,
 * little-endian), fixed by PV-ABI.md:
 * <pre>
 *   0x00 events_mask     guest: nonzero = events masked (virtual sstatus.SIE clear)
 *   0x08 events_pending  VMM: bit 5 timer, bit 9 device interrupt (written by the VMM only)
 *   0x10 scratch         swapped with sp on every trap entry (virtual sscratch)
 *   0x18 trap_epc        VMM: pc of the trapping instruction, or where to resume after an event
 *   0x20 trap_cause      VMM: RISC-V scause encoding (bit 63 = event)
 *   0x28 trap_tval       VMM: faulting address, or 0
 *   0x30 time            VMM: platform time at the last exit
 *   0x38 ram_base        VMM: the guest's RAM
 *   0x40 ram_size
 *   0x48 timebase_hz     VMM: platform ticks per second
 *   0x50 magic           VMM: "PVSHARED" when registered
 * </pre>
 */
public final class SharedInfoPage {
    /** events_mask. */
    public static final int EVENTS_MASK = 0x00;
    /** events_pending. */
    public static final int EVENTS_PENDING = 0x08;
    /** scratch. */
    public static final int SCRATCH = 0x10;
    /** trap_epc. */
    public static final int TRAP_EPC = 0x18;
    /** trap_cause. */
    public static final int TRAP_CAUSE = 0x20;
    /** trap_tval. */
    public static final int TRAP_TVAL = 0x28;
    /** time. */
    public static final int TIME = 0x30;
    /** ram_base. */
    public static final int RAM_BASE = 0x38;
    /** ram_size. */
    public static final int RAM_SIZE = 0x40;
    /** timebase_hz. */
    public static final int TIMEBASE_HZ = 0x48;
    /** magic. */
    public static final int MAGIC = 0x50;
    /** "PVSHARED", little-endian. */
    public static final long MAGIC_VALUE = 0x4445_5241_4853_5650L;

    private final GuestMemory memory;
    private long address = -1;

    /**
     * Creates the accessor; no page is registered yet.
     *
     * @param memory the guest's RAM
     */
    public SharedInfoPage(GuestMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory is null");
    }

    /**
     * Registers the page and fills in the VMM's fields; events start masked.
     *
     * @param page the guest-physical page
     * @param timebaseHz platform ticks per second
     */
    public void register(long page, long timebaseHz) {
        this.address = page;
        for (int offset = 0; offset < 4096; offset += 8) {
            memory.write64(page + offset, 0);
        }
        write(EVENTS_MASK, 1);
        write(RAM_BASE, memory.range().base());
        write(RAM_SIZE, memory.range().size());
        write(TIMEBASE_HZ, timebaseHz);
        write(MAGIC, MAGIC_VALUE);
    }

    /**
     * Tells whether the guest registered its page.
     *
     * @return true once registered
     */
    public boolean isRegistered() {
        return address >= 0;
    }

    /**
     * Returns the registered page.
     *
     * @return its address, or -1
     */
    public long address() {
        return address;
    }

    /**
     * Reads a field.
     *
     * @param offset one of the offsets above
     * @return the value, or 0 while no page is registered
     */
    public long read(int offset) {
        return address < 0 ? 0 : memory.read64(address + offset);
    }

    /**
     * Writes a field; ignored while no page is registered.
     *
     * @param offset one of the offsets above
     * @param value the value
     */
    public void write(int offset, long value) {
        if (address >= 0) {
            memory.write64(address + offset, value);
        }
    }

    /**
     * Tells whether the guest has masked events.
     *
     * @return true when masked or when no page is registered
     */
    public boolean eventsMasked() {
        return address < 0 || read(EVENTS_MASK) != 0;
    }
}
