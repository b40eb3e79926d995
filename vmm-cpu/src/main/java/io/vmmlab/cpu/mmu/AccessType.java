package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.TrapCause;

/** Memory access kinds and the exception codes each raises (Privileged spec, "mcause" table). */
public final class AccessType {
    public static final int FETCH = 0;
    public static final int LOAD = 1;
    public static final int STORE = 2;

    private static final int[] PAGE_FAULT = {
        TrapCause.INSTRUCTION_PAGE_FAULT, TrapCause.LOAD_PAGE_FAULT, TrapCause.STORE_PAGE_FAULT};
    private static final int[] GUEST_PAGE_FAULT = {
        TrapCause.INSTRUCTION_GUEST_PAGE_FAULT, TrapCause.LOAD_GUEST_PAGE_FAULT, TrapCause.STORE_GUEST_PAGE_FAULT};
    private static final int[] ACCESS_FAULT = {
        TrapCause.INSTRUCTION_ACCESS_FAULT, TrapCause.LOAD_ACCESS_FAULT, TrapCause.STORE_ACCESS_FAULT};
    private static final int[] MISALIGNED = {
        TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, TrapCause.LOAD_ADDRESS_MISALIGNED,
        TrapCause.STORE_ADDRESS_MISALIGNED};

    private AccessType() {
    }

    /** Returns the page-fault code for an access type. */
    public static int pageFault(int access) {
        return PAGE_FAULT[access];
    }

    /** Returns the guest-page-fault code for an access type. */
    public static int guestPageFault(int access) {
        return GUEST_PAGE_FAULT[access];
    }

    /** Returns the access-fault code for an access type. */
    public static int accessFault(int access) {
        return ACCESS_FAULT[access];
    }

    /** Returns the address-misaligned code for an access type. */
    public static int misaligned(int access) {
        return MISALIGNED[access];
    }
}
