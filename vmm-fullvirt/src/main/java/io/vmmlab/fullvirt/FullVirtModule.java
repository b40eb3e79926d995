package io.vmmlab.fullvirt;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;

import java.util.Objects;

/**
 * Guice bindings of the fullvirt strategy: the {@link Hypervisor} is a {@link FullVirtHypervisor}, built from what
 * the runtime's core module binds (the SBI implementation, the console, the counters, the VM's spec, whose largest
 * page-table mode the guest's emulated satp offers) and the chosen technique.
 */
public final class FullVirtModule extends AbstractModule {
    private final FullVirtTechnique technique;

    /**
     * Creates the module.
     *
     * @param technique trap-and-emulate or binary translation
     */
    public FullVirtModule(FullVirtTechnique technique) {
        this.technique = Objects.requireNonNull(technique, "technique is null");
    }

    @Override
    protected void configure() {
        bind(FullVirtTechnique.class).toInstance(technique);
        bind(FullVirtHypervisor.class).in(Scopes.SINGLETON);
        bind(Hypervisor.class).to(FullVirtHypervisor.class);
    }
}
