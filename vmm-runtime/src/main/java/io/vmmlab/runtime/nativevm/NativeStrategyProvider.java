package io.vmmlab.runtime.nativevm;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

/**
 * The {@code native} baseline: no hypervisor. The guest runs on the board itself, at the privilege it was built
 * for, with the firmware the user chose ({@code --bios}); every other strategy is measured against it.
 */
public final class NativeStrategyProvider implements VirtualizationStrategyProvider {

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String description() {
        return "baseline without a hypervisor: the guest runs on the board itself, firmware at M-level";
    }

    @Override
    public Module module(VmSpec spec) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Hypervisor.class).to(NativeHypervisor.class).in(Scopes.SINGLETON);
            }
        };
    }
}
