package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslatorConfigTest {
    /**
     * Thresholds stay far below the heat that marks a requested region's entry (RegionSelector.REQUESTED_HEAT),
     * which a block counting down from a threshold must never reach.
     */
    @Test
    void hotThresholdsStayBelowTheRequestedMark() {
        assertThat(new TranslatorConfig(TranslatorConfig.MAX_HOT_THRESHOLD, 4).hotThreshold())
                .isLessThan(RegionSelector.REQUESTED_HEAT);
        assertThatThrownBy(() -> new TranslatorConfig(TranslatorConfig.MAX_HOT_THRESHOLD + 1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hotThreshold");
        assertThatThrownBy(() -> new TranslatorConfig(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TranslatorConfig(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
