package io.vmmlab.fullvirt;

import java.util.Locale;

/** How fullvirt runs the guest kernel's sensitive instructions. */
public enum FullVirtTechnique {
    /** Trap-and-emulate: the guest kernel's own code runs; each privileged instruction traps to the VMM. */
    TRAP,
    /** Binary translation: translated guest-kernel code runs; sensitive instructions are callouts. */
    BT;

    /**
     * Returns the technique of a {@code --technique} name.
     *
     * @param name {@code trap} or {@code bt}
     * @return the technique
     * @throws IllegalArgumentException for other names
     */
    public static FullVirtTechnique named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** @return the {@code --technique} name */
    public String techniqueName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
