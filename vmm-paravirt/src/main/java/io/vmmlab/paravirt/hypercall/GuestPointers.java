package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.memory.AddressRange;

import java.util.Objects;

/**
 * Checks the pointer arguments of hypercalls. Pointers are guest-physical addresses (the PV kernel maps its RAM
 * one to one); a buffer must lie entirely inside the guest's RAM, so a hypercall can never make the VMM read or
 * write memory the guest does not own.
 */
public final class GuestPointers {
    private final AddressRange guestRam;

    /**
     * Creates the checker.
     *
     * @param guestRam the guest's RAM
     */
    public GuestPointers(AddressRange guestRam) {
        this.guestRam = Objects.requireNonNull(guestRam, "guestRam is null");
    }

    /**
     * Tells whether a buffer lies inside the guest's RAM and is aligned.
     *
     * @param address the first byte
     * @param length the length in bytes, not negative
     * @param alignment the required alignment, a power of two
     * @return true when the VMM may access it
     */
    public boolean isValid(long address, long length, long alignment) {
        return length >= 0 && (address & (alignment - 1)) == 0 && guestRam.contains(address, length);
    }
}
