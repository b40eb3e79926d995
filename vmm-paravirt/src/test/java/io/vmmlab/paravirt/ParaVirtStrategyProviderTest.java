package io.vmmlab.paravirt;

import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

final class ParaVirtStrategyProviderTest {

    @Test
    void serviceLoaderFindsTheParavirtProvider() {
        List<VirtualizationStrategyProvider> providers = ServiceLoader.load(VirtualizationStrategyProvider.class)
                .stream().map(ServiceLoader.Provider::get).filter(provider -> provider.name().equals("paravirt"))
                .toList();

        assertThat(providers).hasSize(1);
        assertThat(providers.get(0)).isInstanceOf(ParaVirtStrategyProvider.class);
        assertThat(providers.get(0).description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void needsAPvGuestAndNoHypervisorExtension() {
        assertThat(new ParaVirtStrategyProvider().requirements()).containsExactlyInAnyOrder(
                BoardRequirement.NO_HYPERVISOR_EXTENSION, BoardRequirement.PARAVIRTUALIZED_GUEST);
    }
}
