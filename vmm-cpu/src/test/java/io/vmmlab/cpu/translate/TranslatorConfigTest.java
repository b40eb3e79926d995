package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslatorConfigTest {
    @Test
    void aNegativeThresholdOrATinyCacheIsRefused() {
        assertThat(new TranslatorConfig(0, 4).hotThreshold()).isZero();
        assertThatThrownBy(() -> new TranslatorConfig(-1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hotThreshold");
        assertThatThrownBy(() -> new TranslatorConfig(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cacheCapacity");
    }
}
