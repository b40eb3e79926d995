package io.vmmlab.api.cpu;

import java.util.Objects;
import java.util.Set;

/**
 * How to build one hart.
 *
 * @param hartId the value of {@code mhartid}
 * @param isa the extensions the hart implements
 * @param resetPc where the hart starts after reset
 * @param features optional, named behaviours of the hart that are not ISA extensions; unknown names are an
 *                 error at creation. Each CPU provider documents its own.
 * @param translation the largest virtual-memory system the hart offers
 */
public record HartConfig(int hartId, IsaSpec isa, long resetPc, Set<String> features,
                         AddressTranslation translation) {

    /** Checks the values and freezes the features. */
    public HartConfig {
        if (hartId < 0) {
            throw new IllegalArgumentException("hart id must not be negative: " + hartId);
        }
        Objects.requireNonNull(isa, "isa is null");
        Objects.requireNonNull(translation, "translation is null");
        features = Set.copyOf(features);
    }

    /**
     * A hart that offers Sv57 (and so Sv48 and Sv39), as QEMU's {@code virt} harts do.
     *
     * @param hartId the value of {@code mhartid}
     * @param isa the extensions the hart implements
     * @param resetPc where the hart starts after reset
     * @param features optional, named behaviours of the hart
     */
    public HartConfig(int hartId, IsaSpec isa, long resetPc, Set<String> features) {
        this(hartId, isa, resetPc, features, AddressTranslation.SV57);
    }
}
