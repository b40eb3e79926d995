package io.vmmlab.api.spi;

/**
 * What a virtualization strategy needs of the board or the guest.
 */
public enum BoardRequirement {
    /** The harts must implement the H extension (hardware-assisted virtualization). */
    HYPERVISOR_EXTENSION,
    /** The harts must not implement the H extension, so the strategy shows what software alone can do. */
    NO_HYPERVISOR_EXTENSION,
    /** The guest kernel must be built for the strategy's paravirtual interface. */
    PARAVIRTUALIZED_GUEST
}
