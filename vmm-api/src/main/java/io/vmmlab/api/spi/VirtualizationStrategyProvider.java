package io.vmmlab.api.spi;

import com.google.inject.Module;
import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.hypervisor.VmSpec;

import java.util.List;
import java.util.Set;

/**
 * A virtualization technique as a plugin: how to run a guest kernel on the board while the VMM keeps the most
 * privileged level.
 *
 * <p>Found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.vmmlab.api.spi.VirtualizationStrategyProvider}. Dropping such a jar on the
 * classpath makes {@code vmm strategies} list it and {@code vmm run --strategy NAME} use it.
 *
 * <p>The runtime builds one Guice injector from its own core module and the chosen provider's
 * {@link #module(VmSpec)}. That module must bind {@link io.vmmlab.api.hypervisor.Hypervisor}; it may inject
 * what the core module binds: {@link io.vmmlab.api.hypervisor.VmSpec},
 * {@link io.vmmlab.api.hypervisor.Machine}, {@link io.vmmlab.api.metrics.Counters},
 * {@link io.vmmlab.api.metrics.CostModel}, {@link io.vmmlab.api.device.HostConsole} and
 * {@link io.vmmlab.api.sbi.SupervisorBinaryInterface} (the built-in SBI firmware, for strategies that offer SBI to
 * their guest).
 */
public interface VirtualizationStrategyProvider {

    /**
     * Returns the name users select the strategy with, such as {@code "fullvirt"}.
     *
     * @return a short lowercase name, unique among installed strategies
     */
    String name();

    /**
     * Returns a one-line description for {@code vmm strategies}.
     *
     * @return the description
     */
    String description();

    /**
     * Returns what the strategy needs of the board and the guest.
     *
     * @return the requirements; empty when it needs nothing special
     */
    default Set<BoardRequirement> requirements() {
        return Set.of();
    }

    /**
     * Returns the variants of the technique, selected with {@code --technique}, first one the default; such as
     * {@code trap} and {@code bt} for full virtualization.
     *
     * @return the technique names, or an empty list when there are no variants
     */
    default List<String> techniques() {
        return List.of();
    }

    /**
     * Returns how much RAM the strategy's VMM needs for structures the hart walks or shares with the guest
     * (shadow page tables, G-stage tables, shared pages). The runtime places that much RAM after the guest's,
     * outside the guest's device tree, and reports it as {@link io.vmmlab.api.hypervisor.Machine#vmmMemory()}.
     *
     * @param spec the VM being built
     * @return bytes, a multiple of 4 KiB; 0 when the strategy needs none
     */
    default long vmmMemoryBytes(VmSpec spec) {
        return 0;
    }

    /**
     * Returns the largest virtual-memory system the strategy offers its guest, for the guest's device tree
     * ({@code mmu-type}): a VMM that emulates the guest's satp, or gives it page tables of its own making, may offer
     * less than the harts do.
     *
     * @param harts what the harts offer ({@link VmSpec#translation()})
     * @return what the guest finds; by default what the harts offer (the guest's satp is the hart's or a VS one)
     */
    default AddressTranslation guestTranslation(AddressTranslation harts) {
        return harts;
    }

    /**
     * Returns the Guice bindings of the strategy for one VM. Bindings only: no threads, no I/O, no guest state.
     *
     * @param spec the VM being built
     * @return a module that binds {@link io.vmmlab.api.hypervisor.Hypervisor}
     */
    Module module(VmSpec spec);
}
