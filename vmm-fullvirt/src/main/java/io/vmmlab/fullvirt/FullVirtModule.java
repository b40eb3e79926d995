package io.vmmlab.fullvirt;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;

/**
 * Guice bindings of the fullvirt strategy: the {@link Hypervisor} is a {@link FullVirtHypervisor}, built from what
 * the runtime's core module binds (the SBI implementation, the console, the counters).
 */
public final class FullVirtModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(FullVirtHypervisor.class).in(Scopes.SINGLETON);
        bind(Hypervisor.class).to(FullVirtHypervisor.class);
    }
}
