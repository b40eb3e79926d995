package io.vmmlab.api.cpu;

/**
 * Exception codes of {@code xcause} (Privileged spec, table "Machine cause register values after trap", and the
 * H extension's additions). Interrupt codes are the {@link HartInterrupt} bit numbers and the supervisor and
 * virtual-supervisor ones below.
 */
public final class TrapCause {
    /** Instruction address misaligned. */
    public static final int INSTRUCTION_ADDRESS_MISALIGNED = 0;
    /** Instruction access fault. */
    public static final int INSTRUCTION_ACCESS_FAULT = 1;
    /** Illegal instruction. */
    public static final int ILLEGAL_INSTRUCTION = 2;
    /** Breakpoint. */
    public static final int BREAKPOINT = 3;
    /** Load address misaligned. */
    public static final int LOAD_ADDRESS_MISALIGNED = 4;
    /** Load access fault. */
    public static final int LOAD_ACCESS_FAULT = 5;
    /** Store/AMO address misaligned. */
    public static final int STORE_ADDRESS_MISALIGNED = 6;
    /** Store/AMO access fault. */
    public static final int STORE_ACCESS_FAULT = 7;
    /** Environment call from U-mode (or VU-mode). */
    public static final int ECALL_FROM_USER = 8;
    /** Environment call from HS-mode (S-mode without the H extension). */
    public static final int ECALL_FROM_SUPERVISOR = 9;
    /** Environment call from VS-mode. */
    public static final int ECALL_FROM_VIRTUAL_SUPERVISOR = 10;
    /** Environment call from M-mode. */
    public static final int ECALL_FROM_MACHINE = 11;
    /** Instruction page fault. */
    public static final int INSTRUCTION_PAGE_FAULT = 12;
    /** Load page fault. */
    public static final int LOAD_PAGE_FAULT = 13;
    /** Store/AMO page fault. */
    public static final int STORE_PAGE_FAULT = 15;
    /** Instruction guest-page fault (H extension). */
    public static final int INSTRUCTION_GUEST_PAGE_FAULT = 20;
    /** Load guest-page fault (H extension). */
    public static final int LOAD_GUEST_PAGE_FAULT = 21;
    /** Virtual instruction (H extension). */
    public static final int VIRTUAL_INSTRUCTION = 22;
    /** Store/AMO guest-page fault (H extension). */
    public static final int STORE_GUEST_PAGE_FAULT = 23;

    /** Supervisor software interrupt. */
    public static final int SUPERVISOR_SOFTWARE_INTERRUPT = 1;
    /** Virtual supervisor software interrupt. */
    public static final int VIRTUAL_SUPERVISOR_SOFTWARE_INTERRUPT = 2;
    /** Machine software interrupt. */
    public static final int MACHINE_SOFTWARE_INTERRUPT = 3;
    /** Supervisor timer interrupt. */
    public static final int SUPERVISOR_TIMER_INTERRUPT = 5;
    /** Virtual supervisor timer interrupt. */
    public static final int VIRTUAL_SUPERVISOR_TIMER_INTERRUPT = 6;
    /** Machine timer interrupt. */
    public static final int MACHINE_TIMER_INTERRUPT = 7;
    /** Supervisor external interrupt. */
    public static final int SUPERVISOR_EXTERNAL_INTERRUPT = 9;
    /** Virtual supervisor external interrupt. */
    public static final int VIRTUAL_SUPERVISOR_EXTERNAL_INTERRUPT = 10;
    /** Machine external interrupt. */
    public static final int MACHINE_EXTERNAL_INTERRUPT = 11;
    /** Supervisor guest external interrupt. */
    public static final int SUPERVISOR_GUEST_EXTERNAL_INTERRUPT = 12;

    /** The interrupt bit of {@code xcause} on RV64. */
    public static final long INTERRUPT_BIT = 1L << 63;

    private TrapCause() {
    }

    /**
     * Returns a short report name for an exception code, such as {@code "illegal-instruction"}.
     *
     * @param code exception code
     * @return the name, or {@code "exception-N"} for reserved codes
     */
    public static String exceptionName(int code) {
        return switch (code) {
            case INSTRUCTION_ADDRESS_MISALIGNED -> "instruction-misaligned";
            case INSTRUCTION_ACCESS_FAULT -> "instruction-access-fault";
            case ILLEGAL_INSTRUCTION -> "illegal-instruction";
            case BREAKPOINT -> "breakpoint";
            case LOAD_ADDRESS_MISALIGNED -> "load-misaligned";
            case LOAD_ACCESS_FAULT -> "load-access-fault";
            case STORE_ADDRESS_MISALIGNED -> "store-misaligned";
            case STORE_ACCESS_FAULT -> "store-access-fault";
            case ECALL_FROM_USER -> "ecall-from-u";
            case ECALL_FROM_SUPERVISOR -> "ecall-from-s";
            case ECALL_FROM_VIRTUAL_SUPERVISOR -> "ecall-from-vs";
            case ECALL_FROM_MACHINE -> "ecall-from-m";
            case INSTRUCTION_PAGE_FAULT -> "instruction-page-fault";
            case LOAD_PAGE_FAULT -> "load-page-fault";
            case STORE_PAGE_FAULT -> "store-page-fault";
            case INSTRUCTION_GUEST_PAGE_FAULT -> "instruction-guest-page-fault";
            case LOAD_GUEST_PAGE_FAULT -> "load-guest-page-fault";
            case VIRTUAL_INSTRUCTION -> "virtual-instruction";
            case STORE_GUEST_PAGE_FAULT -> "store-guest-page-fault";
            default -> "exception-" + code;
        };
    }

    /**
     * Returns a short report name for an interrupt code, such as {@code "supervisor-timer"}.
     *
     * @param code interrupt code
     * @return the name, or {@code "interrupt-N"} for other codes
     */
    public static String interruptName(int code) {
        return switch (code) {
            case SUPERVISOR_SOFTWARE_INTERRUPT -> "supervisor-software";
            case VIRTUAL_SUPERVISOR_SOFTWARE_INTERRUPT -> "virtual-supervisor-software";
            case MACHINE_SOFTWARE_INTERRUPT -> "machine-software";
            case SUPERVISOR_TIMER_INTERRUPT -> "supervisor-timer";
            case VIRTUAL_SUPERVISOR_TIMER_INTERRUPT -> "virtual-supervisor-timer";
            case MACHINE_TIMER_INTERRUPT -> "machine-timer";
            case SUPERVISOR_EXTERNAL_INTERRUPT -> "supervisor-external";
            case VIRTUAL_SUPERVISOR_EXTERNAL_INTERRUPT -> "virtual-supervisor-external";
            case MACHINE_EXTERNAL_INTERRUPT -> "machine-external";
            case SUPERVISOR_GUEST_EXTERNAL_INTERRUPT -> "supervisor-guest-external";
            default -> "interrupt-" + code;
        };
    }
}
