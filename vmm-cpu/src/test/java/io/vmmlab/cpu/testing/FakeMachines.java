package io.vmmlab.cpu.testing;

import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.cpu.InterpreterCpuProvider;

import java.util.Set;

/** A test helper: vmm-api's {@link FakeMachine} with one interpreter hart, as the strategies' tests use it. */
public final class FakeMachines {
    private FakeMachines() {
    }

    /**
     * Builds a board whose hart 0 resets to the start of guest RAM.
     *
     * @param isa ISA string such as {@code "rv64imac"}
     * @param ramSize guest RAM bytes
     * @param vmmSize bytes reserved for the VMM after guest RAM
     * @return the board
     */
    public static FakeMachine withInterpreterHart(String isa, int ramSize, int vmmSize) {
        FakeMachine machine = new FakeMachine(ramSize, vmmSize);
        machine.addHart(new InterpreterCpuProvider().create(
                new HartConfig(0, IsaSpec.parse(isa), FakeMachine.RAM_BASE, Set.of()), machine.hartResources()));
        return machine;
    }
}
