package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

/**
 * What the board gives a device when it is created: where it lives, its interrupt, guest memory for DMA, counters.
 *
 * @param range the register window assigned to this instance
 * @param interruptNumber the interrupt source number at the platform interrupt controller, or 0 for none
 * @param interrupt the line to drive
 * @param memory guest RAM, for DMA; accesses outside it fail with an exception, never reach host memory
 * @param counters where the device reports its activity
 */
public record DeviceContext(AddressRange range, int interruptNumber, InterruptLine interrupt, GuestMemory memory,
                            Counters counters) {
}
