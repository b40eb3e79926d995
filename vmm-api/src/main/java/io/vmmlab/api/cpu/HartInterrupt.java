package io.vmmlab.api.cpu;

/**
 * The interrupt inputs of a hart that devices drive, by their bit in {@code mip} (Privileged spec, section 3.1.9).
 * Software-writable bits (SSIP, STIP when written by M-mode, VS bits) are state of the hart, not inputs.
 */
public enum HartInterrupt {
    /** Machine software interrupt, driven by the CLINT's msip register. */
    MACHINE_SOFTWARE(3),
    /** Machine timer interrupt, driven by the CLINT's mtime/mtimecmp comparison. */
    MACHINE_TIMER(7),
    /** Supervisor external interrupt, driven by the PLIC's S-mode context. */
    SUPERVISOR_EXTERNAL(9),
    /** Machine external interrupt, driven by the PLIC's M-mode context. */
    MACHINE_EXTERNAL(11);

    private final int bit;

    HartInterrupt(int bit) {
        this.bit = bit;
    }

    /**
     * Returns the bit position in {@code mip}.
     *
     * @return the bit number
     */
    public int bit() {
        return bit;
    }
}
