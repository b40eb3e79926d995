package io.vmmlab.api.testing;

import com.google.inject.AbstractModule;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A test fake for a strategy's wiring test: the host services the runtime binds before it installs a strategy's
 * module (spec, machine, counters, an empty cost model, a {@link RecordingConsole}, an SBI that supports nothing,
 * {@link VmmEntries} that record nothing), with the runtime's strict binder settings.
 */
public final class FakeCoreModule extends AbstractModule {
    private final VmSpec spec;
    private final Machine machine;

    /**
     * Creates the module.
     *
     * @param spec the VM spec to bind
     * @param machine the board to bind, whose counters are bound too
     */
    public FakeCoreModule(VmSpec spec, Machine machine) {
        this.spec = requireNonNull(spec, "spec is null");
        this.machine = requireNonNull(machine, "machine is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireAtInjectOnConstructors();
        bind(VmSpec.class).toInstance(spec);
        bind(Machine.class).toInstance(machine);
        bind(Counters.class).toInstance(machine.counters());
        bind(CostModel.class).toInstance(new CostModel("test", "none", Map.of()));
        bind(HostConsole.class).toInstance(new RecordingConsole());
        bind(SupervisorBinaryInterface.class)
                .toInstance((call, platform) -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED));
        bind(VmmEntries.class).toInstance(VmmEntries.none());
    }
}
