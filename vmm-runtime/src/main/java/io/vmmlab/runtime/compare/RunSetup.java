package io.vmmlab.runtime.compare;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.VmSpec;

import java.util.Locale;
import java.util.Objects;

/**
 * What every run of a comparison gets besides its workload: the board's harts, ISA and largest page-table mode, as
 * {@code vmm run}'s {@code --smp}, {@code --isa} and {@code --mmu} give them (everything else of the board is the
 * default), and kernel command-line text that comes before the workload selection (such as Linux's {@code quiet}).
 *
 * @param harts number of harts, 1 to {@link VmSpec#MAX_HARTS}
 * @param isa the harts' ISA string as {@code --isa} takes it (such as {@code "rv64imac_sstc"})
 * @param append command-line text for every run, before {@code workloads=...}; empty for none
 * @param translation the largest page-table mode the harts offer
 */
public record RunSetup(int harts, String isa, String append, AddressTranslation translation) {
    /** What {@code vmm compare} runs by default. */
    public static final RunSetup DEFAULT = new RunSetup(1, "rv64imac_sstc", "", AddressTranslation.SV57);

    /** Checks the values. */
    public RunSetup {
        if (harts < 1 || harts > VmSpec.MAX_HARTS) {
            throw new IllegalArgumentException("--smp must be 1 to " + VmSpec.MAX_HARTS + ": " + harts);
        }
        isa = Objects.requireNonNull(isa, "isa is null").trim().toLowerCase(Locale.ROOT);
        IsaSpec.parse(isa); // a one-line reason when malformed
        Objects.requireNonNull(translation, "translation is null");
        append = Objects.requireNonNull(append, "append is null").strip();
        if (append.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--append must be one line of printable text");
        }
    }

    /**
     * The setup with harts that offer Sv57 paging, as QEMU's {@code virt} (a saved JSON result without a mode reads
     * back as Sv48 instead: it was written when the harts offered no more).
     *
     * @param harts number of harts
     * @param isa the harts' ISA string
     * @param append command-line text for every run
     */
    public RunSetup(int harts, String isa, String append) {
        this(harts, isa, append, AddressTranslation.SV57);
    }

    /**
     * Describes the setup for a reader.
     *
     * @return such as {@code "1 hart, rv64imac_sstc, sv57"} or {@code "2 harts, rv64imac, sv39, append 'quiet'"}
     */
    public String label() {
        return harts + (harts == 1 ? " hart, " : " harts, ") + isa + ", " + translation.displayName()
                + (append.isEmpty() ? "" : ", append '" + append + "'");
    }

    /**
     * Puts the setup's text before a run's own command line.
     *
     * @param commandLine the run's workload selection
     * @return the whole command line
     */
    String commandLine(String commandLine) {
        return append.isEmpty() ? commandLine : append + " " + commandLine;
    }
}
