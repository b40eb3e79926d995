package io.vmmlab.runtime.compare;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.VmSpec;

import java.util.Locale;
import java.util.Objects;

/**
 * What every run of a comparison gets besides its workload: the board's harts and ISA, as {@code vmm run}'s
 * {@code --smp} and {@code --isa} give them (everything else of the board is the default), and kernel command-line
 * text that comes before the workload selection (such as Linux's {@code quiet}).
 *
 * @param harts number of harts, 1 to {@link VmSpec#MAX_HARTS}
 * @param isa the harts' ISA string as {@code --isa} takes it (such as {@code "rv64imac_sstc"})
 * @param append command-line text for every run, before {@code workloads=...}; empty for none
 */
public record RunSetup(int harts, String isa, String append) {
    /** What {@code vmm compare} ran before it had a choice, and still runs by default. */
    public static final RunSetup DEFAULT = new RunSetup(1, "rv64imac_sstc", "");

    /** Checks the values. */
    public RunSetup {
        if (harts < 1 || harts > VmSpec.MAX_HARTS) {
            throw new IllegalArgumentException("--smp must be 1 to " + VmSpec.MAX_HARTS + ": " + harts);
        }
        isa = Objects.requireNonNull(isa, "isa is null").trim().toLowerCase(Locale.ROOT);
        IsaSpec.parse(isa); // a one-line reason when malformed
        append = Objects.requireNonNull(append, "append is null").strip();
        if (append.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--append must be one line of printable text");
        }
    }

    /**
     * Describes the setup for a reader.
     *
     * @return such as {@code "1 hart, rv64imac_sstc"} or {@code "2 harts, rv64imac, append 'quiet'"}
     */
    public String label() {
        return harts + (harts == 1 ? " hart, " : " harts, ") + isa + (append.isEmpty() ? "" : ", append '" + append
                + "'");
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
