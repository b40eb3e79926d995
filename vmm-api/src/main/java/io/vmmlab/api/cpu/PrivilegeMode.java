package io.vmmlab.api.cpu;

/**
 * A RISC-V privilege level (Privileged spec, section 1.2). Virtualization mode (the H extension's V bit) is
 * kept apart from it: VS-mode is {@code SUPERVISOR} with V=1, VU-mode is {@code USER} with V=1.
 */
public enum PrivilegeMode {
    /** U-mode: applications; also where deprivileged guest kernels run under fullvirt and paravirt. */
    USER(0),
    /** S-mode (HS-mode when the H extension is present and V=0). */
    SUPERVISOR(1),
    /** M-mode: firmware. */
    MACHINE(3);

    private final int encoding;

    PrivilegeMode(int encoding) {
        this.encoding = encoding;
    }

    /**
     * Returns the two-bit encoding used in mstatus.MPP and similar fields.
     *
     * @return 0, 1 or 3
     */
    public int encoding() {
        return encoding;
    }

    /**
     * Decodes a two-bit privilege field.
     *
     * @param encoding 0, 1 or 3
     * @return the mode
     * @throws IllegalArgumentException for the reserved encoding 2 or anything else
     */
    public static PrivilegeMode fromEncoding(int encoding) {
        return switch (encoding) {
            case 0 -> USER;
            case 1 -> SUPERVISOR;
            case 3 -> MACHINE;
            default -> throw new IllegalArgumentException("not a privilege mode encoding: " + encoding);
        };
    }
}
