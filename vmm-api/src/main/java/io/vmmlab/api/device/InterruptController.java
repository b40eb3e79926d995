package io.vmmlab.api.device;

/**
 * A platform-level interrupt controller (the PLIC on the virt board): devices' interrupt lines end at its
 * numbered sources, and it drives the harts' external interrupt inputs.
 */
public interface InterruptController {

    /**
     * Returns the line for one interrupt source.
     *
     * @param number the source number, 1 or more (0 means "no interrupt" on the PLIC)
     * @return the line a device drives
     * @throws IllegalArgumentException when the controller has no such source
     */
    InterruptLine source(int number);
}
