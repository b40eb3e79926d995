package io.vmmlab.fullvirt;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.testing.FakeCoreModule;
import io.vmmlab.api.testing.FakeMachine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class FullVirtModuleTest {

    @Test
    void injectorWithTheModuleYieldsTheFullVirtHypervisor() {
        FakeMachine machine = GuestHarness.machine("rv64imac");
        VmSpec spec = new VmSpec("fullvirt", Optional.of("trap"), "interpreter", IsaSpec.parse("rv64imac"), 1,
                1 << 20, Optional.empty(), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        Injector injector = Guice.createInjector(new FakeCoreModule(spec, machine),
                new FullVirtStrategyProvider().module(spec));
        assertThat(injector.getInstance(Hypervisor.class)).isInstanceOf(FullVirtHypervisor.class);
        assertThat(injector.getInstance(Hypervisor.class)).isSameAs(injector.getInstance(Hypervisor.class));
    }
}
