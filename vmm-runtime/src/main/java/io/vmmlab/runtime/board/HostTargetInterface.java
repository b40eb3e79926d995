package io.vmmlab.runtime.board;

import io.vmmlab.api.device.RamOverlay;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;

/**
 * The riscv-tests host-target interface: a bare-metal test writes its result to the {@code tohost} word, 1 for
 * pass and {@code (n << 1) | 1} when test case n failed. This device overlays RAM (the board maps it over the
 * {@code tohost} word; it can cover a whole page): every access goes to RAM as usual, and a non-zero write to the low
 * word of {@code tohost} stops the machine with the matching outcome.
 */
public final class HostTargetInterface implements RamOverlay {
    private final GuestMemory memory;
    private final long pageBase;
    private final long tohost;
    private final Machine machine;

    /**
     * Creates the overlay.
     *
     * @param memory guest RAM, which keeps holding the page's bytes
     * @param pageBase the physical address of the overlaid page
     * @param tohost the physical address of the {@code tohost} symbol
     * @param machine the machine to stop
     */
    public HostTargetInterface(GuestMemory memory, long pageBase, long tohost, Machine machine) {
        this.memory = memory;
        this.pageBase = pageBase;
        this.tohost = tohost;
        this.machine = machine;
    }

    @Override
    public long read(long offset, int size) {
        return memory.read(pageBase + offset, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        long address = pageBase + offset;
        memory.write(address, size, value);
        if (address == tohost) {
            report(size == 8 ? value : value & 0xffff_ffffL);
        }
    }

    private void report(long value) {
        if (value == 0 || (value & 1) == 0) {
            return;
        }
        long testCase = value >>> 1;
        if (testCase == 0) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "tohost: test passed"));
        } else {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED,
                    String.format("tohost: test case %d failed (tohost=0x%x)", testCase, value)));
        }
    }
}
