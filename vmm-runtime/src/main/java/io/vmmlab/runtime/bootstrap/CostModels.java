package io.vmmlab.runtime.bootstrap;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;

import java.util.Map;

/**
 * The cost models the runtime ships.
 */
public final class CostModels {
    /**
     * Counts guest instructions only, one cycle each, and prices no virtualization event. It is the neutral
     * model: modeled cycles equal retired instructions, so every overhead it shows comes from extra guest work.
     */
    public static final CostModel INSTRUCTIONS_ONLY = new CostModel("instructions-only",
            "one cycle per retired guest instruction; virtualization events unpriced",
            Map.of(CostCategory.INSTRUCTION, 1.0));

    private CostModels() {
    }
}
