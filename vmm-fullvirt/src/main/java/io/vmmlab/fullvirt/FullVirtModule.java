package io.vmmlab.fullvirt;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.hypervisor.Hypervisor;

import java.util.Objects;

/**
 * Guice bindings of the fullvirt strategy: the {@link Hypervisor} is a {@link FullVirtHypervisor}, built from what
 * the runtime's core module binds (the SBI implementation, the console, the counters), the chosen technique and the
 * largest page-table mode the harts offer (the guest's emulated satp offers the same).
 */
public final class FullVirtModule extends AbstractModule {
    private final FullVirtTechnique technique;
    private final AddressTranslation translation;

    /**
     * Creates the module.
     *
     * @param technique trap-and-emulate or binary translation
     * @param translation the largest page-table mode the harts offer
     */
    public FullVirtModule(FullVirtTechnique technique, AddressTranslation translation) {
        this.technique = Objects.requireNonNull(technique, "technique is null");
        this.translation = Objects.requireNonNull(translation, "translation is null");
    }

    @Override
    protected void configure() {
        bind(FullVirtTechnique.class).toInstance(technique);
        bind(AddressTranslation.class).toInstance(translation);
        bind(FullVirtHypervisor.class).in(Scopes.SINGLETON);
        bind(Hypervisor.class).to(FullVirtHypervisor.class);
    }
}
