package io.vmmlab.paravirt;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;

/**
 * The paravirt strategy's bindings: the {@link Hypervisor} is a {@link ParaVirtHypervisor}. Everything else it
 * needs (console, counters) comes from the runtime's core module; the per-VM structures are built in
 * {@link Hypervisor#start}, once the board exists.
 */
public final class ParaVirtModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ParaVirtHypervisor.class).in(Scopes.SINGLETON);
        bind(Hypervisor.class).to(ParaVirtHypervisor.class);
    }
}
