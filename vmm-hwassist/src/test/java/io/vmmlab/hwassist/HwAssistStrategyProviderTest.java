package io.vmmlab.hwassist;

import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

final class HwAssistStrategyProviderTest {

    @Test
    void serviceLoaderFindsExactlyOneHwassistProviderThatDemandsTheHExtension() {
        List<VirtualizationStrategyProvider> providers = ServiceLoader.load(VirtualizationStrategyProvider.class)
                .stream().map(ServiceLoader.Provider::get).filter(provider -> provider.name().equals("hwassist"))
                .toList();
        assertThat(providers).hasSize(1);
        VirtualizationStrategyProvider provider = providers.get(0);
        assertThat(provider.requirements()).containsExactly(BoardRequirement.HYPERVISOR_EXTENSION);
        assertThat(provider.techniques()).isEmpty();
        assertThat(provider.description()).doesNotContain("\n");
        assertThat(provider.vmmMemoryBytes(null) % 4096).isZero();
        assertThat(provider.vmmMemoryBytes(null)).isGreaterThanOrEqualTo(64 * 1024);
    }
}
