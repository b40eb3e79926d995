package io.vmmlab.paravirt;

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

final class ParaVirtModuleTest {

    @Test
    void injectorWithTheCoreBindingsYieldsTheParavirtHypervisor() {
        PvGuestHarness harness = new PvGuestHarness();
        VmSpec spec = new VmSpec("paravirt", Optional.empty(), "interpreter", IsaSpec.parse("rv64imac"), 1, 1 << 20,
                Optional.empty(), Optional.empty(), "", "builtin", List.of(), 0, Duration.ZERO, false);
        AbstractModule core = new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireExplicitBindings();
                binder().requireAtInjectOnConstructors();
                bind(VmSpec.class).toInstance(spec);
                bind(Machine.class).toInstance(harness.machine);
                bind(Counters.class).toInstance(harness.counters);
                bind(CostModel.class).toInstance(new CostModel("test", "test", Map.of()));
                bind(HostConsole.class).toInstance(new HostConsole() {
                    @Override
                    public void write(int value) {
                    }

                    @Override
                    public int read() {
                        return -1;
                    }
                });
                bind(SupervisorBinaryInterface.class).toInstance((call, platform) -> SbiResult.error(-2));
            }
        };

        Injector injector = Guice.createInjector(core, new ParaVirtStrategyProvider().module(spec));

        assertThat(injector.getInstance(Hypervisor.class)).isInstanceOf(ParaVirtHypervisor.class)
                .isSameAs(injector.getInstance(Hypervisor.class));
    }
}
