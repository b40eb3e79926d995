package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;

import java.util.Objects;

/**
 * What the device tree tells the guest of its harts, which can be less than the harts have: a hardware-assisted VMM
 * keeps the H extension for itself, a VMM that emulates satp may offer fewer page-table levels.
 *
 * @param isa the ISA announced ({@code riscv,isa})
 * @param translation the largest virtual-memory system announced ({@code mmu-type})
 */
public record GuestHarts(IsaSpec isa, AddressTranslation translation) {
    /** Checks the values. */
    public GuestHarts {
        Objects.requireNonNull(isa, "isa is null");
        Objects.requireNonNull(translation, "translation is null");
    }
}
