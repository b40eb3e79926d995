package io.vmmlab.paravirt;

import com.google.inject.Module;
import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.paravirt.paging.BootAddressSpace;

import java.util.Set;

/**
 * The {@code paravirt} strategy (Xen-style): a guest kernel built for the PV ABI ({@code vmm-paravirt/PV-ABI.md})
 * runs in physical U-mode on validated page tables and calls the VMM with hypercalls; no H extension.
 */
public final class ParaVirtStrategyProvider implements VirtualizationStrategyProvider {
    /** VMM pages reserved for user-view roots: one per pinned guest root. */
    static final long USER_VIEW_PAGES = 64;

    @Override
    public String name() {
        return "paravirt";
    }

    @Override
    public String description() {
        return "Xen-style paravirtualization: a PV kernel in U-mode, hypercalls, validated direct paging, events";
    }

    @Override
    public Set<BoardRequirement> requirements() {
        return Set.of(BoardRequirement.NO_HYPERVISOR_EXTENSION, BoardRequirement.PARAVIRTUALIZED_GUEST);
    }

    @Override
    public long vmmMemoryBytes(VmSpec spec) {
        return (BootAddressSpace.pagesNeeded(spec.memoryBytes()) + USER_VIEW_PAGES) * 4096;
    }

    /** The guest's page tables are Sv39 tables the VMM validates and loads (PV-ABI.md): it never writes satp. */
    @Override
    public AddressTranslation guestTranslation(AddressTranslation harts) {
        return AddressTranslation.SV39;
    }

    @Override
    public Module module(VmSpec spec) {
        return new ParaVirtModule();
    }
}
