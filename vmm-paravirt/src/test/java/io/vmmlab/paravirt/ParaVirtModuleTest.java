package io.vmmlab.paravirt;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.testing.FakeCoreModule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class ParaVirtModuleTest {

    @Test
    void injectorWithTheCoreBindingsYieldsTheParavirtHypervisor() {
        PvGuestHarness harness = new PvGuestHarness();
        VmSpec spec = new VmSpec("paravirt", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 1 << 20,
                Optional.empty(), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        FakeCoreModule core = new FakeCoreModule(spec, harness.machine);

        Injector injector = Guice.createInjector(core, new ParaVirtStrategyProvider().module(spec));

        assertThat(injector.getInstance(Hypervisor.class)).isInstanceOf(ParaVirtHypervisor.class)
                .isSameAs(injector.getInstance(Hypervisor.class));
    }
}
