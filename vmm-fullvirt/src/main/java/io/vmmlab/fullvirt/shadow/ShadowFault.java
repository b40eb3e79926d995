package io.vmmlab.fullvirt.shadow;

/**
 * What a page fault of the deprivileged guest turned out to be.
 *
 * @param kind the outcome
 * @param cause for {@link Kind#GUEST_FAULT}, the exception code the guest must see
 * @param guestPhysical for {@link Kind#MMIO} and {@link Kind#TRACED_STORE}, the guest-physical address accessed
 */
public record ShadowFault(Kind kind, int cause, long guestPhysical) {

    /** The outcomes. */
    public enum Kind {
        /** A shadow entry was installed; the guest retries the access. */
        FILLED,
        /** The guest's own tables forbid the access (or it targets no memory): reflect the fault to the guest. */
        GUEST_FAULT,
        /** The access targets a device: emulate the instruction. */
        MMIO,
        /** A store to a write-protected guest page table: emulate it and trace it. */
        TRACED_STORE,
        /** The shadow tables were dropped to make room; the guest retries the access. */
        RETRY
    }

    static ShadowFault filled() {
        return new ShadowFault(Kind.FILLED, -1, 0);
    }

    static ShadowFault retry() {
        return new ShadowFault(Kind.RETRY, -1, 0);
    }

    static ShadowFault guestFault(int cause) {
        return new ShadowFault(Kind.GUEST_FAULT, cause, 0);
    }

    static ShadowFault mmio(long guestPhysical) {
        return new ShadowFault(Kind.MMIO, -1, guestPhysical);
    }

    static ShadowFault tracedStore(long guestPhysical) {
        return new ShadowFault(Kind.TRACED_STORE, -1, guestPhysical);
    }
}
