package io.vmmlab.hwassist;

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

final class HwAssistModuleTest {

    @Test
    void injectorWithTheModuleYieldsOneHwAssistHypervisor() {
        FakeMachine machine = GuestHarness.machine("rv64imach_sstc");
        VmSpec spec = new VmSpec("hwassist", Optional.empty(), "interpreter", IsaSpec.parse("rv64imach"), 1,
                1 << 20, Optional.empty(), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        Injector injector = Guice.createInjector(new FakeCoreModule(spec, machine),
                new HwAssistStrategyProvider().module(spec));
        assertThat(injector.getInstance(Hypervisor.class)).isInstanceOf(HwAssistHypervisor.class);
        assertThat(injector.getInstance(Hypervisor.class)).isSameAs(injector.getInstance(Hypervisor.class));
    }
}
