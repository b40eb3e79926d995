package io.vmmlab.runtime.compare;

import io.vmmlab.api.cpu.IsaSpec;

import java.util.Objects;

/**
 * The board every run of a comparison gets: how many harts and which ISA, as {@code vmm run}'s {@code --smp} and
 * {@code --isa} give them. Everything else of the board is the default one.
 *
 * @param harts number of harts, 1 to 8
 * @param isa the harts' ISA string as {@code --isa} takes it (such as {@code "rv64imac_sstc"})
 */
public record BoardShape(int harts, String isa) {
    /** What {@code vmm compare} ran on before it had a choice, and still runs on by default. */
    public static final BoardShape DEFAULT = new BoardShape(1, "rv64imac_sstc");

    /** Checks the values. */
    public BoardShape {
        if (harts < 1 || harts > 8) {
            throw new IllegalArgumentException("--smp must be 1 to 8: " + harts);
        }
        isa = Objects.requireNonNull(isa, "isa is null").trim();
        IsaSpec.parse(isa); // a one-line reason when malformed
    }

    /**
     * Describes the board for a reader.
     *
     * @return such as {@code "1 hart, rv64imac_sstc"} or {@code "2 harts, rv64imac"}
     */
    public String label() {
        return harts + (harts == 1 ? " hart, " : " harts, ") + isa;
    }
}
