package io.vmmlab.hwassist;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class HwAssistModuleTest {

    @Test
    void injectorWithTheModuleYieldsOneHwAssistHypervisor() {
        FakeMachine machine = new FakeMachine();
        VmSpec spec = new VmSpec("hwassist", Optional.empty(), "interpreter", IsaSpec.parse("rv64imach"), 1,
                1 << 20, Optional.empty(), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireExplicitBindings();
                binder().requireAtInjectOnConstructors();
                bind(VmSpec.class).toInstance(spec);
                bind(Machine.class).toInstance(machine);
                bind(Counters.class).toInstance(machine.counters());
                bind(CostModel.class).toInstance(new CostModel("test", "none", Map.of()));
                bind(HostConsole.class).toInstance(new RecordingConsole());
                bind(SupervisorBinaryInterface.class).toInstance((call, platform) -> SbiResult.success(0));
            }
        }, new HwAssistStrategyProvider().module(spec));
        assertThat(injector.getInstance(Hypervisor.class)).isInstanceOf(HwAssistHypervisor.class);
        assertThat(injector.getInstance(Hypervisor.class)).isSameAs(injector.getInstance(Hypervisor.class));
    }
}
