package io.vmmlab.api.device;

import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The device windows a VMM lets its guest reach: every window on the board's bus except the CLINT and any window
 * over RAM (the guest's or the VMM's region). The CLINT's timer compare and software-interrupt registers are the
 * VMM's own: it arms the guest's virtual timer on them and signals harts through them, so a guest that wrote them
 * would cancel its VMM's deadlines or interrupt other harts at machine level (real firmware and hypervisors keep
 * them from supervisor mode with PMP). A VMM that emulates a guest's device access asks here first and delivers
 * an access fault, or an error, for anything refused.
 */
public final class GuestDeviceWindows {
    private static final AddressRange CLINT = new AddressRange(ClintRegisters.BASE, ClintRegisters.SIZE);

    private final MmioBus bus;
    private final List<AddressRange> ram;

    /**
     * Creates the view of a bus; it follows the bus as devices are mapped.
     *
     * @param bus the board's device windows
     * @param ram the RAM ranges (a device window over one of them is refused)
     */
    public GuestDeviceWindows(MmioBus bus, List<AddressRange> ram) {
        this.bus = Objects.requireNonNull(bus, "bus is null");
        this.ram = List.copyOf(ram);
    }

    /**
     * Returns the view of a board: its bus, with the guest's RAM and the VMM's region as RAM.
     *
     * @param machine the board
     * @return the view
     */
    public static GuestDeviceWindows of(Machine machine) {
        List<AddressRange> ram = new ArrayList<>();
        ram.add(machine.memory().range());
        machine.vmmMemory().ifPresent(ram::add);
        return new GuestDeviceWindows(machine.mmio(), ram);
    }

    /**
     * Tells whether the guest may access a range of device registers.
     *
     * @param address the physical (guest-physical) address
     * @param size the access size in bytes
     * @return true when one device window the guest may reach holds the whole access
     */
    public boolean allows(long address, long size) {
        for (MmioBus.Mapping mapping : bus.mappings()) {
            if (mapping.range().contains(address, size)) {
                return guestMayReach(mapping.range());
            }
        }
        return false;
    }

    private boolean guestMayReach(AddressRange window) {
        return !window.overlaps(CLINT) && ram.stream().noneMatch(window::overlaps);
    }
}
