package io.vmmlab.hwassist;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;

/**
 * Guice bindings of the hwassist strategy: the {@link Hypervisor} is a {@link HwAssistHypervisor}, built from what
 * the runtime's core module binds (the SBI implementation, the console, the counters).
 */
public final class HwAssistModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(HwAssistHypervisor.class).in(Scopes.SINGLETON);
        bind(Hypervisor.class).to(HwAssistHypervisor.class);
    }
}
