package io.vmmlab.api.device;

/**
 * A device window over guest RAM whose bytes are the RAM's own: it watches some accesses (the test suites'
 * host-target interface, on the {@code tohost} word) and keeps every value in the RAM beneath. Harts fetch
 * instructions from the RAM of a page such windows overlay; a page that another device window touches is not
 * executable (a device's registers are not code).
 */
public interface RamOverlay extends MmioDevice {
}
