package io.vmmlab.runtime.bootstrap;

import com.google.inject.AbstractModule;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.runtime.firmware.BuiltinSbi;

import static java.util.Objects.requireNonNull;

/**
 * What the runtime offers every strategy module: the VM spec, the assembled machine, its counters, the cost
 * model, the guest console, the built-in SBI firmware and where to report VMM entries that are not exits. Explicit
 * bindings only, so a strategy that injects something the runtime does not provide fails at wiring time with a clear
 * Guice error.
 */
final class CoreModule extends AbstractModule {
    private final VmSpec spec;
    private final Machine machine;
    private final CostModel costModel;
    private final HostConsole console;
    private final VmmEntries entries;

    CoreModule(VmSpec spec, Machine machine, CostModel costModel, HostConsole console, VmmEntries entries) {
        this.spec = requireNonNull(spec, "spec is null");
        this.machine = requireNonNull(machine, "machine is null");
        this.costModel = requireNonNull(costModel, "costModel is null");
        this.console = requireNonNull(console, "console is null");
        this.entries = requireNonNull(entries, "entries is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireAtInjectOnConstructors();
        bind(VmSpec.class).toInstance(spec);
        bind(Machine.class).toInstance(machine);
        bind(Counters.class).toInstance(machine.counters());
        bind(CostModel.class).toInstance(costModel);
        bind(HostConsole.class).toInstance(console);
        bind(SupervisorBinaryInterface.class).toInstance(new BuiltinSbi());
        bind(VmmEntries.class).toInstance(entries);
    }
}
