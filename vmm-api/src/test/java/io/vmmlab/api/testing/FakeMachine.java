package io.vmmlab.api.testing;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.DmaWriteListener;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemoryView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test fake: a board with guest RAM at {@link #RAM_BASE}, the VMM's region right after it, an empty bus,
 * counters and a {@link ManualTime} clock. vmm-api knows no CPU, so the test builds each hart from
 * {@link #hartResources()} and adds it. DMA is what the test writes with {@link #dmaWrite64}. Every stop request
 * is kept; the first is the outcome.
 */
public final class FakeMachine implements Machine {
    /** Where guest RAM starts, as on QEMU's virt board. */
    public static final long RAM_BASE = 0x8000_0000L;
    /** Where the tests' boot information places the device tree: one page in guest RAM. */
    public static final AddressRange DEVICE_TREE = new AddressRange(RAM_BASE + 0xf0000, 0x1000);

    private final FlatRam physical;
    private final GuestMemoryView guest;
    private final Optional<AddressRange> vmmRange;
    private final SimpleMmioBus bus = new SimpleMmioBus();
    private final SimpleCounters counters = new SimpleCounters();
    private final ManualTime time = new ManualTime();
    private final List<Hart> harts = new ArrayList<>();
    private final List<DmaWriteListener> dmaListeners = new ArrayList<>();
    private final List<DmaWriteListener> hostListeners = new ArrayList<>();
    private final List<GuestOutcome> stops = new ArrayList<>();

    /**
     * Builds the board without harts.
     *
     * @param ramSize guest RAM bytes
     * @param vmmSize bytes reserved for the VMM after guest RAM, or 0 for none
     */
    public FakeMachine(int ramSize, int vmmSize) {
        this.physical = new FlatRam(RAM_BASE, ramSize + vmmSize);
        this.guest = new GuestMemoryView(physical, new AddressRange(RAM_BASE, ramSize));
        this.vmmRange = vmmSize == 0 ? Optional.empty() : Optional.of(new AddressRange(RAM_BASE + ramSize, vmmSize));
    }

    /**
     * Returns the boot information of a supervisor kernel with no kernel or initrd ranges.
     *
     * @param entry the first instruction
     * @return boot information with the device tree at {@link #DEVICE_TREE}
     */
    public static BootInfo kernelBoot(long entry) {
        return new BootInfo(entry, PrivilegeMode.SUPERVISOR, DEVICE_TREE, Optional.empty(), Optional.empty(), 0);
    }

    /**
     * Returns what a hart of this board is built from: all RAM, the bus, the clock and the counters.
     *
     * @return the resources
     */
    public HartResources hartResources() {
        return new HartResources(physical, bus, time, counters);
    }

    /**
     * Adds the next hart; its id must be the number of harts added before.
     *
     * @param hart the hart
     * @return the hart, for chaining
     */
    public Hart addHart(Hart hart) {
        if (hart.hartId() != harts.size()) {
            throw new IllegalArgumentException("expected hart " + harts.size() + ", got " + hart.hartId());
        }
        harts.add(hart);
        return hart;
    }

    /**
     * Returns the first hart.
     *
     * @return hart 0
     */
    public Hart hart() {
        return harts.get(0);
    }

    @Override
    public List<Hart> harts() {
        return List.copyOf(harts);
    }

    @Override
    public GuestMemoryView memory() {
        return guest;
    }

    @Override
    public FlatRam physicalMemory() {
        return physical;
    }

    @Override
    public Optional<AddressRange> vmmMemory() {
        return vmmRange;
    }

    @Override
    public SimpleMmioBus mmio() {
        return bus;
    }

    @Override
    public ManualTime time() {
        return time;
    }

    @Override
    public SimpleCounters counters() {
        return counters;
    }

    @Override
    public void stop(GuestOutcome outcome) {
        stops.add(outcome);
    }

    @Override
    public Optional<GuestOutcome> outcome() {
        return stops.isEmpty() ? Optional.empty() : Optional.of(stops.get(0));
    }

    /**
     * Returns every stop request, in order; the first is the {@link #outcome()}.
     *
     * @return an immutable list
     */
    public List<GuestOutcome> stops() {
        return List.copyOf(stops);
    }

    @Override
    public void addDmaWriteListener(DmaWriteListener listener) {
        dmaListeners.add(listener);
    }

    /**
     * Writes guest RAM as a device's DMA would, and reports it to the listeners.
     *
     * @param address guest physical address
     * @param value the doubleword
     */
    public void dmaWrite64(long address, long value) {
        guest.write64(address, value);
        dmaListeners.forEach(listener -> listener.dmaWritten(address, 8));
    }

    @Override
    public void addHostWriteListener(DmaWriteListener listener) {
        hostListeners.add(listener);
    }

    /**
     * Writes guest RAM as the host would through the runtime board's {@code memory()} (an SBI console read into a
     * guest buffer), and reports it to the host-write listeners and, as that board does, to every hart.
     *
     * @param address guest physical address
     * @param value the word
     */
    public void hostWrite32(long address, int value) {
        guest.write32(address, value);
        hostListeners.forEach(listener -> listener.dmaWritten(address, 4));
        harts.forEach(hart -> hart.invalidateCode(address, 4));
    }
}
