package io.vmmlab.runtime.compare;

import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The guest a comparison runs: a kernel that selects workloads from its command line ({@code workloads=NAME
 * scale=N}) and prints one {@code RESULT} line each, as the bundled kernel does; its paravirtual build for
 * strategies that need one; the workloads; the scale; the scratch disk, board and command-line text each run gets.
 *
 * @param kernel the kernel for unmodified-guest strategies (a path or {@code bundled:NAME})
 * @param paravirtKernel the kernel for strategies that require {@link BoardRequirement#PARAVIRTUALIZED_GUEST}; empty
 *                       when the guest has no such build (those strategies' cells then say so)
 * @param workloads the workloads, one VM run each per strategy; {@link #BOOT} runs none (boot and power-off only)
 * @param scale the kernel's iteration multiplier
 * @param diskBytes the scratch disk size of every run
 * @param setup the harts, ISA and command-line text of every run
 */
public record GuestSuite(String kernel, String paravirtKernel, List<String> workloads, int scale, long diskBytes,
                         RunSetup setup) {
    /** The bundled kernel's workloads, in its own order (vmm-guests/kernel/main.c). */
    public static final List<String> BUNDLED_WORKLOADS = List.of("nullcall", "pagefault", "ptmod", "mmio",
            "privreg", "ctxswitch", "forkwait", "compute", "blockio");
    /** The pseudo-workload that boots the kernel and powers off: the fixed part of every other run. */
    public static final String BOOT = "boot";
    /** The default scratch disk: 4 MiB, enough for blockio. */
    public static final long DEFAULT_DISK_BYTES = 4L << 20;
    /** The bundled kernel. */
    public static final String BUNDLED_KERNEL = "bundled:kernel-native";
    /** The bundled kernel's paravirtual build. */
    public static final String BUNDLED_PARAVIRTUAL_KERNEL = "bundled:kernel-pv";

    /** Checks the values. */
    public GuestSuite {
        Objects.requireNonNull(kernel, "kernel is null");
        Objects.requireNonNull(paravirtKernel, "paravirtKernel is null");
        workloads = List.copyOf(workloads);
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("no workloads to compare");
        }
        if (new HashSet<>(workloads).size() != workloads.size()) {
            throw new IllegalArgumentException("a workload is listed twice: " + String.join(",", workloads));
        }
        for (String workload : workloads) {
            if (!isWorkloadName(workload)) {
                throw new IllegalArgumentException("a workload name is lower-case letters, digits and _: '"
                        + workload + "'");
            }
        }
        if (scale < 1) {
            throw new IllegalArgumentException("--scale must be at least 1: " + scale);
        }
        Objects.requireNonNull(setup, "setup is null");
        for (String option : setup.append().split(" +")) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : "";
            if (key.equals("workloads") || key.equals("scale") || workloads.contains(key)) {
                throw new IllegalArgumentException("--append must leave " + key + "= to the comparison, which sets "
                        + "it for every run: '" + option + "'");
            }
        }
    }

    /**
     * Tells whether a text is a workload's name: lower-case ASCII letters, digits and {@code _}, at least one.
     *
     * @param name the text
     * @return true for a name a suite may list
     */
    static boolean isWorkloadName(String name) {
        return name.matches("[a-z0-9_]+");
    }

    /**
     * Returns the same suite with another setup.
     *
     * @param other the harts, ISA and command-line text of every run
     * @return the suite
     */
    public GuestSuite withSetup(RunSetup other) {
        return new GuestSuite(kernel, paravirtKernel, workloads, scale, diskBytes, other);
    }

    /**
     * Describes a suite that runs with the default setup ({@link RunSetup#DEFAULT}).
     *
     * @param kernel the kernel for unmodified-guest strategies
     * @param paravirtKernel the kernel for strategies that require a paravirtualized guest
     * @param workloads the workloads
     * @param scale the kernel's iteration multiplier
     * @param diskBytes the scratch disk size of every run
     */
    public GuestSuite(String kernel, String paravirtKernel, List<String> workloads, int scale, long diskBytes) {
        this(kernel, paravirtKernel, workloads, scale, diskBytes, RunSetup.DEFAULT);
    }

    /**
     * Returns the bundled kernel's suite.
     *
     * @param workloads the workloads to run
     * @param scale the iteration multiplier
     * @return the suite
     */
    public static GuestSuite bundled(List<String> workloads, int scale) {
        return new GuestSuite(BUNDLED_KERNEL, BUNDLED_PARAVIRTUAL_KERNEL, workloads, scale, DEFAULT_DISK_BYTES);
    }

    /**
     * Returns the bundled kernel a strategy runs: its paravirtual build when the strategy requires one.
     *
     * @param provider the strategy
     * @return {@link #BUNDLED_KERNEL} or {@link #BUNDLED_PARAVIRTUAL_KERNEL}
     */
    public static String bundledKernelFor(VirtualizationStrategyProvider provider) {
        return needsPortedGuest(provider) ? BUNDLED_PARAVIRTUAL_KERNEL : BUNDLED_KERNEL;
    }

    /**
     * Returns the kernel a strategy runs: the paravirtual build when the strategy requires one.
     *
     * @param provider the strategy
     * @return the kernel
     */
    public String kernelFor(VirtualizationStrategyProvider provider) {
        return needsPortedGuest(provider) ? paravirtKernel : kernel;
    }

    private static boolean needsPortedGuest(VirtualizationStrategyProvider provider) {
        return provider.requirements().contains(BoardRequirement.PARAVIRTUALIZED_GUEST);
    }

    /**
     * Returns the kernel command line that runs one workload.
     *
     * @param workload a workload or {@link #BOOT}
     * @return the command line
     */
    public String commandLine(String workload) {
        return setup.commandLine(workload.equals(BOOT) ? "workloads= scale=" + scale
                : "workloads=" + workload + " scale=" + scale);
    }

    /**
     * Returns the kernel command line that runs a workload with zero iterations (the kernel's {@code NAME=COUNT}
     * option): everything of its run but the work it repeats, the fixed part subtracted for overheads.
     *
     * @param workload a workload other than {@link #BOOT}
     * @return the command line
     */
    public String zeroIterationCommandLine(String workload) {
        return setup.commandLine("workloads=" + workload + " " + workload + "=0 scale=" + scale);
    }
}
