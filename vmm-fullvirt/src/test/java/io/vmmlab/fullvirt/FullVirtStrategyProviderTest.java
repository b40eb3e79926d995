package io.vmmlab.fullvirt;

import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

final class FullVirtStrategyProviderTest {

    @Test
    void serviceLoaderFindsExactlyOneFullvirtProvider() {
        List<VirtualizationStrategyProvider> providers = ServiceLoader.load(VirtualizationStrategyProvider.class)
                .stream().map(ServiceLoader.Provider::get).filter(provider -> provider.name().equals("fullvirt"))
                .toList();
        assertThat(providers).hasSize(1);
        VirtualizationStrategyProvider provider = providers.get(0);
        assertThat(provider.requirements()).containsExactly(BoardRequirement.NO_HYPERVISOR_EXTENSION);
        assertThat(provider.techniques()).containsExactly("trap", "bt");
        assertThat(provider.description()).doesNotContain("\n");
        assertThat(provider.vmmMemoryBytes(null) % 4096).isZero();
        assertThat(provider.vmmMemoryBytes(null)).isGreaterThanOrEqualTo(16L << 20);
    }
}
