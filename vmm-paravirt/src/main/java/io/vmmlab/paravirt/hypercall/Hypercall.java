package io.vmmlab.paravirt.hypercall;

/**
 * The hypercalls of the VMMLab PV ABI version 1.0 ({@code vmm-paravirt/PV-ABI.md}): an {@code ecall} from the
 * guest kernel with {@code a7 = BASE + number}, arguments in a0 to a5, the error code back in a0 and a value in a1.
 */
public enum Hypercall {
    /** a1 = ABI version, major in bits 31:16, minor in 15:0. */
    VERSION(0, "version"),
    /** Registers the shared page (a0 = its guest-physical address). */
    REGISTER_SHARED_PAGE(1, "register-shared-page"),
    /** Registers the trap vector (a0 = guest-virtual address). */
    SET_TRAP_VECTOR(2, "set-trap-vector"),
    /** Returns from a trap: registers and pc from a frame (a0), into kernel (a1 = 0) or user mode (a1 = 1). */
    IRET(3, "iret"),
    /** Applies a batch of page-table entry updates (a0 = request array, a1 = count). */
    MMU_UPDATE(4, "mmu-update"),
    /** Makes a page a page-table page of a level (a0 = page, a1 = level 0 to 2). */
    PIN_TABLE(5, "pin-table"),
    /** Makes a page-table page an ordinary page again (a0 = page). */
    UNPIN_TABLE(6, "unpin-table"),
    /** Switches the address space (a0 = a pinned level-2 table). */
    NEW_BASEPTR(7, "new-baseptr"),
    /** Flushes this hart's TLB (a1 = 0: all; a1 = 1: the page at a0). */
    TLB_FLUSH(8, "tlb-flush"),
    /** Sets the one-shot timer (a0 = deadline in platform ticks). */
    SET_TIMER(9, "set-timer"),
    /** a1 = the platform time in ticks. */
    GET_TIME(10, "get-time"),
    /** Writes one byte (a0) to the console. */
    CONSOLE_PUTC(11, "console-putc"),
    /** Writes a0..a0+a1 (guest-physical) to the console. */
    CONSOLE_WRITE(12, "console-write"),
    /** a1 = the device register at a0, a1 bytes wide. */
    MMIO_READ(13, "mmio-read"),
    /** Writes a2 to the device register at a0, a1 bytes wide. */
    MMIO_WRITE(14, "mmio-write"),
    /** Gives pending events a chance to be delivered; returns at once. */
    YIELD(15, "yield"),
    /** Waits until an event is pending (the WFI of a PV guest). */
    BLOCK(16, "block"),
    /** Ends the machine (a0 = 0: power off; 1: report a failure). */
    SHUTDOWN(17, "shutdown");

    /** The value of a7 for hypercall 0: "PV" in the upper half, so no SBI extension id collides. */
    public static final long BASE = 0x5056_0000L;
    /** The ABI version {@link #VERSION} returns: 1.0. */
    public static final long ABI_VERSION = 0x0001_0000L;

    private static final Hypercall[] BY_NUMBER = values();

    private final int number;
    private final String reportName;

    Hypercall(int number, String reportName) {
        this.number = number;
        this.reportName = reportName;
    }

    /**
     * Returns the hypercall number (a7 minus {@link #BASE}).
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * Returns the counter reason of this hypercall.
     *
     * @return a short lowercase name
     */
    public String reportName() {
        return reportName;
    }

    /**
     * Returns the a7 value that selects this hypercall.
     *
     * @return {@link #BASE} plus the number
     */
    public long a7() {
        return BASE + number;
    }

    /**
     * Decodes a7.
     *
     * @param a7 the guest's a7
     * @return the hypercall, or null for a value outside the ABI
     */
    public static Hypercall fromA7(long a7) {
        long number = a7 - BASE;
        if (number < 0 || number >= BY_NUMBER.length) {
            return null;
        }
        return BY_NUMBER[(int) number];
    }
}
