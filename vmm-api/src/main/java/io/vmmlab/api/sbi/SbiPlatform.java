package io.vmmlab.api.sbi;

import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.memory.GuestMemory;

/**
 * The machine as the SBI firmware sees it, provided by the strategy that hosts the firmware: how to program a
 * guest hart's timer, deliver a software interrupt, start and stop harts, and end the machine. Natively these act
 * on the real harts and the CLINT; under a VMM they act on the guest's virtual state.
 */
public interface SbiPlatform {

    /**
     * Returns the number of harts the guest has; hart ids are 0 to {@code hartCount() - 1}.
     *
     * @return the hart count
     */
    int hartCount();

    /**
     * Programs a hart's supervisor timer: clears its pending supervisor timer interrupt and raises it again once
     * platform time reaches {@code deadline}.
     *
     * @param hartId the hart
     * @param deadline the platform time ({@code mtime} ticks)
     */
    void setTimer(int hartId, long deadline);

    /**
     * Makes a supervisor software interrupt pending on a hart.
     *
     * @param hartId the target hart
     */
    void sendSoftwareInterrupt(int hartId);

    /**
     * Clears the calling hart's pending supervisor software interrupt (legacy {@code clear_ipi}).
     *
     * @param hartId the hart
     */
    void clearSoftwareInterrupt(int hartId);

    /**
     * Makes a hart discard its cached translations and decoded instructions (remote FENCE.I and SFENCE.VMA).
     *
     * @param hartId the target hart
     */
    void remoteFence(int hartId);

    /**
     * Returns a hart's state.
     *
     * @param hartId the hart
     * @return its state
     */
    HartStatus hartStatus(int hartId);

    /**
     * Starts a stopped hart in supervisor mode at an address, with a0 = hart id and a1 = {@code opaque}, and
     * translation off.
     *
     * @param hartId the hart
     * @param startAddress where it starts
     * @param opaque the value for a1
     */
    void startHart(int hartId, long startAddress, long opaque);

    /**
     * Stops the calling hart; it runs again only after {@link #startHart}.
     *
     * @param hartId the calling hart
     */
    void stopHart(int hartId);

    /**
     * Ends the machine as {@code sbi_system_reset} asks.
     *
     * @param type 0 shutdown, 1 cold reboot, 2 warm reboot
     * @param reason 0 no reason, 1 system failure
     */
    void systemReset(long type, long reason);

    /**
     * Ends the machine as the legacy {@code sbi_shutdown} call (extension 0x08) asks: a shutdown whose outcome names
     * that call. Platforms that do not tell the two apart may leave the default, a shutdown through
     * {@link #systemReset}.
     */
    default void legacyShutdown() {
        systemReset(0, 0);
    }

    /**
     * Returns the guest-physical memory, for calls that pass buffers by physical address.
     *
     * @return the guest's RAM as the guest addresses it
     */
    GuestMemory memory();

    /**
     * Returns the console for the debug-console and legacy console calls.
     *
     * @return the console
     */
    HostConsole console();
}
