package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;

/**
 * A device instance on the board: a register window, how to describe itself to the guest, and its lifecycle.
 *
 * <p>Devices see only guest memory (for DMA) and interrupt lines, through {@link DeviceContext}; they never see
 * a hart or a strategy.
 */
public interface Device extends MmioDevice, AutoCloseable {

    /**
     * Returns the instance name used in logs, reports and the device tree, such as {@code "virtio-blk0"}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns where the device's register window lives.
     *
     * @return the physical window
     */
    AddressRange range();

    /**
     * Writes the device's node into the device tree.
     *
     * @param tree the writer, positioned at the parent node (usually {@code /soc})
     */
    void describe(DeviceTreeWriter tree);

    /**
     * Lets the device act on the passage of time and on host input (raise a timer interrupt, take typed bytes).
     * The run loop calls it at bounded intervals of guest execution, and whenever all harts wait for an
     * interrupt, on the thread that drives the harts.
     *
     * @param now the current platform time ({@code mtime})
     * @return the platform time at which the device next needs a call even if nothing else happens (for
     *         example a timer deadline), or {@link Long#MAX_VALUE} when it has none
     */
    default long poll(long now) {
        return Long.MAX_VALUE;
    }

    /** Returns the device to its power-on state. */
    default void reset() {
    }

    /** Flushes pending data to backing files and releases them. Called once when the machine stops. */
    @Override
    default void close() {
    }
}
