package io.vmmlab.api.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class CostModelEdgeCaseTest {

    @Test
    void refusesInfinitePrices() {
        // an infinite price makes modeledCycles Infinity, which JsonReport prints as the non-JSON token Infinity
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CostModel("m", "src", Map.of(CostCategory.VM_EXIT, Double.POSITIVE_INFINITY)));
    }
}
