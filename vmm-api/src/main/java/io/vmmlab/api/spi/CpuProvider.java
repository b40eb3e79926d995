package io.vmmlab.api.spi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;

/**
 * Builds harts: one execution engine (an interpreter, a translator) for the RISC-V hart.
 *
 * <p>Found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.vmmlab.api.spi.CpuProvider}. Chosen by {@link #name()} with {@code vmm run --cpu}.
 */
public interface CpuProvider {

    /**
     * Returns the name users select this engine with, such as {@code "interpreter"}.
     *
     * @return a short lowercase name
     */
    String name();

    /**
     * Returns a one-line description for {@code vmm cpus}.
     *
     * @return the description
     */
    String description();

    /**
     * Builds one hart.
     *
     * @param config which hart and which extensions
     * @param resources the board's memory, devices, time and counters
     * @return the hart, in its reset state
     * @throws IllegalArgumentException when the configuration asks for something this engine lacks
     */
    Hart create(HartConfig config, HartResources resources);

    /**
     * Checks, before any board is built, that this engine implements every extension of an ISA, so that a command
     * that builds many boards can refuse a bad {@code --isa} up front. {@link #create} refuses it all the same; the
     * default checks nothing more.
     *
     * @param isa the extensions asked for
     * @throws IllegalArgumentException with a one-line reason when this engine lacks one
     */
    default void checkIsa(IsaSpec isa) {
    }
}
