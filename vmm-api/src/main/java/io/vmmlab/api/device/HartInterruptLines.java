package io.vmmlab.api.device;

import io.vmmlab.api.cpu.HartInterrupt;

/**
 * The interrupt inputs of the board's harts, for the devices that drive them directly: the CLINT (timer and
 * software interrupts) and the PLIC (external interrupts per context).
 */
public interface HartInterruptLines {

    /**
     * Returns the number of harts on the board; hart ids are 0 to {@code hartCount() - 1}.
     *
     * @return the hart count
     */
    int hartCount();

    /**
     * Returns one input of one hart.
     *
     * @param hartId the hart
     * @param interrupt which input
     * @return the line, thread-safe
     */
    InterruptLine line(int hartId, HartInterrupt interrupt);
}
