package io.vmmlab.fullvirt;

import com.google.inject.Module;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

import java.util.List;
import java.util.Set;

/**
 * The {@code fullvirt} strategy (VMware-style full virtualization without the H extension): the unmodified guest
 * kernel runs deprivileged in U-mode, privileged instructions trap and are emulated, memory goes through shadow page
 * tables. Techniques: {@code trap} (trap-and-emulate, the default) and {@code bt} (binary translation of the guest
 * kernel into a translation cache whose sensitive instructions are callouts).
 */
public final class FullVirtStrategyProvider implements VirtualizationStrategyProvider {
    /** Shadow page tables live in this much VMM-private RAM. */
    static final long SHADOW_MEMORY_BYTES = 32L << 20;
    /** The translation cache of technique bt, in VMM-private RAM after the shadow tables. */
    static final long TRANSLATION_CACHE_BYTES = 1L << 20;

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public FullVirtStrategyProvider() {
    }

    @Override
    public String name() {
        return "fullvirt";
    }

    @Override
    public String description() {
        return "full virtualization without the H extension: deprivileged kernel, trap-and-emulate or binary "
                + "translation, shadow paging";
    }

    @Override
    public Set<BoardRequirement> requirements() {
        return Set.of(BoardRequirement.NO_HYPERVISOR_EXTENSION);
    }

    @Override
    public List<String> techniques() {
        return List.of("trap", "bt");
    }

    @Override
    public long vmmMemoryBytes(VmSpec spec) {
        return SHADOW_MEMORY_BYTES + TRANSLATION_CACHE_BYTES;
    }

    @Override
    public Module module(VmSpec spec) {
        return new FullVirtModule(FullVirtTechnique.named(spec.technique().orElse("trap")));
    }
}
