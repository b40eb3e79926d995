package io.vmmlab.fullvirt.sbi;

/**
 * Puts a real hart where a firmware leaves a kernel hart, deprivileged: virtual S-mode at an address.
 */
@FunctionalInterface
public interface GuestHartLauncher {

    /**
     * Starts a hart in the guest's virtual S-mode with translation off, a0 = hart id and a1 = {@code opaque}.
     *
     * @param hartId the hart
     * @param startAddress where it starts
     * @param opaque the value for a1
     */
    void launch(int hartId, long startAddress, long opaque);
}
