package io.vmmlab.hwassist;

import com.google.inject.Module;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

import java.util.Set;

/**
 * The {@code hwassist} strategy (VT-x style, on RISC-V's H extension): the unmodified guest kernel runs in
 * VS-mode on two-stage translation; the VMM is HS-mode software that handles VM exits. The board must have the H
 * extension; the runtime adds {@code h} to the ISA when the user's {@code --isa} lacks it.
 */
public final class HwAssistStrategyProvider implements VirtualizationStrategyProvider {
    /** G-stage tables live in this much VMM-private RAM (a 16 KiB root plus a few tables per GiB of guest RAM). */
    static final long VMM_MEMORY_BYTES = 1L << 20;

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public HwAssistStrategyProvider() {
    }

    @Override
    public String name() {
        return "hwassist";
    }

    @Override
    public String description() {
        return "hardware-assisted virtualization on the H extension: guest in VS-mode, G-stage tables, VM exits";
    }

    @Override
    public Set<BoardRequirement> requirements() {
        return Set.of(BoardRequirement.HYPERVISOR_EXTENSION);
    }

    @Override
    public long vmmMemoryBytes(VmSpec spec) {
        return VMM_MEMORY_BYTES;
    }

    @Override
    public Module module(VmSpec spec) {
        return new HwAssistModule();
    }
}
