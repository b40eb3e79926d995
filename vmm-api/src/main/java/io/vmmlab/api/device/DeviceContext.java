package io.vmmlab.api.device;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;

import java.util.Objects;

/**
 * What the board gives a device when it is created: where it lives, its interrupt, guest memory for DMA, the
 * platform time, the harts' interrupt inputs (for interrupt controllers and timers), the host console,
 * counters and machine control. A device uses what it needs and ignores the rest.
 *
 * @param instanceName the name to report under, such as {@code "uart0"}
 * @param range the register window assigned to this instance
 * @param interruptNumber the interrupt source number at the platform interrupt controller, or 0 for none
 * @param interrupt the line to drive (a line that does nothing when {@code interruptNumber} is 0)
 * @param memory guest RAM, for DMA; accesses outside it fail with an exception, never reach host memory
 * @param time the platform time
 * @param harts the harts' interrupt inputs
 * @param console the host console
 * @param counters where the device reports its activity
 * @param control how the device powers the machine off or resets it
 */
public record DeviceContext(String instanceName, AddressRange range, int interruptNumber, InterruptLine interrupt,
                            GuestMemory memory, TimeSource time, HartInterruptLines harts,
                            HostConsole console, Counters counters, MachineControl control) {

    /** Checks nothing is missing. */
    public DeviceContext {
        Objects.requireNonNull(instanceName, "instanceName is null");
        Objects.requireNonNull(range, "range is null");
        Objects.requireNonNull(interrupt, "interrupt is null");
        Objects.requireNonNull(memory, "memory is null");
        Objects.requireNonNull(time, "time is null");
        Objects.requireNonNull(harts, "harts is null");
        Objects.requireNonNull(console, "console is null");
        Objects.requireNonNull(counters, "counters is null");
        Objects.requireNonNull(control, "control is null");
    }
}
