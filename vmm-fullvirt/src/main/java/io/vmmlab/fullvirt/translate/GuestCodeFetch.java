package io.vmmlab.fullvirt.translate;

/** Translates guest-virtual code addresses the way the guest kernel's own instruction fetch would. */
interface GuestCodeFetch {
    /**
     * Translates one address for a supervisor fetch through the guest's tables.
     *
     * @param va the guest-virtual address
     * @return the guest-physical address (inside guest RAM), or {@code -(1 + exception code)} of the fault the
     *         guest must see
     */
    long translate(long va);
}
