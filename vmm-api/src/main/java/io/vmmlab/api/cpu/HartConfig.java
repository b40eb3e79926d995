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
 */
public record HartConfig(int hartId, IsaSpec isa, long resetPc, Set<String> features) {

    /** Checks the values and freezes the features. */
    public HartConfig {
        if (hartId < 0) {
            throw new IllegalArgumentException("hart id must not be negative: " + hartId);
        }
        Objects.requireNonNull(isa, "isa is null");
        features = Set.copyOf(features);
    }
}
