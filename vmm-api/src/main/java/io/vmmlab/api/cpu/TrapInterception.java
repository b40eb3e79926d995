package io.vmmlab.api.cpu;

/**
 * Which traps leave the hart for the host (the Java VMM or firmware) instead of entering guest-visible code.
 *
 * <p>The VMM "owns the most privileged level": it is Java code, not code on the hart. This setting says which
 * levels it owns. Delegation (medeleg/mideleg, hedeleg/hideleg) is applied first, exactly as the hardware
 * would; only a trap whose target is an intercepted level becomes a {@link HartExit#TRAP}.
 */
public enum TrapInterception {
    /** Every trap is taken architecturally; real M-mode code (a firmware, a bare-metal test) handles it. */
    NONE,
    /** Traps that would enter M-mode exit to the host: the Java SBI firmware, or a VMM over a U-mode guest. */
    MACHINE,
    /** Traps that would enter HS-mode or M-mode exit to the host: a VMM on the H extension. */
    HYPERVISOR
}
