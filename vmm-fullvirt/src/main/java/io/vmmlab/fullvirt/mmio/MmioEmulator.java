package io.vmmlab.fullvirt.mmio;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.AtomicValues;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.LoadValues;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.DeviceAccessCounters;
import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.emulate.MemoryInstruction;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;

/**
 * Emulates a guest load or store to a device: no device is ever mapped in a shadow table, so every access is a
 * shadow fault on a device address that lands here. Performs the access on the board's bus, writes a load's value
 * back into the destination register (sign-extended as the instruction says; an FP load's into its f register,
 * a word NaN-boxed) and advances pc. Atomics are done as the hart does them on a device: an AMO reads, then writes,
 * under the harts' atomic lock; an LR is a load that gives the hart its reservation ({@link Hart#loadReserved}), so
 * that an SC after it succeeds while the register holds the value read and no trap came between, as natively; an
 * access the guest may not make ({@link GuestDeviceWindows}: the CLINT, which the VMM's virtual timer and IPIs use)
 * or that the device rejects becomes an access fault for the guest. Counted per device and direction in group
 * {@code mmio-exit} as the exit that reached the VMM ({@link CostCategory#TRAP_ROUND_TRIP}); the device's own access
 * counter (group {@code mmio}) prices the emulation, so an access is priced once for each.
 */
public final class MmioEmulator {
    private final MmioBus mmio;
    private final GuestDeviceWindows guestWindows;
    private final DeviceAccessCounters exits;

    /**
     * Creates the emulator.
     *
     * @param mmio the board's device windows
     * @param guestWindows the windows the guest may reach
     * @param counters where to count
     */
    public MmioEmulator(MmioBus mmio, GuestDeviceWindows guestWindows, Counters counters) {
        this.mmio = mmio;
        this.guestWindows = guestWindows;
        this.exits = new DeviceAccessCounters(counters, "mmio-exit", CostCategory.TRAP_ROUND_TRIP);
    }

    /**
     * Emulates one access.
     *
     * @param hart the real hart, stopped at the instruction
     * @param instruction the decoded instruction
     * @param guestPhysical the device address
     * @return -1 when emulated, otherwise the access-fault cause to reflect to the guest
     */
    public int emulate(Hart hart, MemoryInstruction instruction, long guestPhysical) {
        boolean store = instruction.writes();
        int size = instruction.size();
        if (!guestWindows.allows(guestPhysical, size)) {
            return store ? TrapCause.STORE_ACCESS_FAULT : TrapCause.LOAD_ACCESS_FAULT;
        }
        try {
            switch (instruction.kind()) {
                case STORE, FLOAT_STORE -> mmio.write(guestPhysical, size, instruction.source(hart));
                case LOAD -> hart.setRegister(instruction.rd(),
                        LoadValues.integer(mmio.read(guestPhysical, size), size, instruction.signed()));
                case FLOAT_LOAD -> loadFloat(hart, instruction, mmio.read(guestPhysical, size));
                case LOAD_RESERVED, STORE_CONDITIONAL, AMO -> hart.setRegister(instruction.rd(), AtomicValues.onDevice(
                        hart, atomicFunction(instruction), guestPhysical, size, instruction.source(hart),
                        () -> mmio.read(guestPhysical, size), value -> mmio.write(guestPhysical, size, value)));
            }
        } catch (MemoryAccessException e) {
            return store ? TrapCause.STORE_ACCESS_FAULT : TrapCause.LOAD_ACCESS_FAULT;
        }
        exits.count(mmio, guestPhysical, store);
        hart.setPc(hart.pc() + instruction.length());
        return -1;
    }

    /**
     * Tells whether the guest may reach a range of device registers (one part of an access split across pages).
     *
     * @param guestPhysical the first byte
     * @param size bytes
     * @return true when a device window the guest may reach holds them all
     */
    boolean allows(long guestPhysical, long size) {
        return guestWindows.allows(guestPhysical, size);
    }

    /**
     * Reads device registers for one part of an access split across pages (uncounted: see {@link #countExit}).
     *
     * @param guestPhysical an address {@link #allows} allowed
     * @param size 1, 2, 4 or 8
     * @return the value, zero-extended
     * @throws MemoryAccessException when the device refuses
     */
    long read(long guestPhysical, int size) {
        return mmio.read(guestPhysical, size);
    }

    /**
     * Writes device registers for one part of an access split across pages (uncounted: see {@link #countExit}).
     *
     * @param guestPhysical an address {@link #allows} allowed
     * @param size 1, 2, 4 or 8
     * @param value the value
     * @throws MemoryAccessException when the device refuses
     */
    void write(long guestPhysical, int size, long value) {
        mmio.write(guestPhysical, size, value);
    }

    /**
     * Counts the exit of a device access the VMM completed with {@link #read} or {@link #write}.
     *
     * @param guestPhysical the device address
     * @param store whether it wrote
     */
    void countExit(long guestPhysical, boolean store) {
        exits.count(mmio, guestPhysical, store);
    }

    /** The funct5 {@link AtomicValues#onDevice} takes: LR's and SC's by their kind, an AMO's as decoded. */
    private static int atomicFunction(MemoryInstruction instruction) {
        return switch (instruction.kind()) {
            case LOAD_RESERVED -> AtomicValues.LOAD_RESERVED;
            case STORE_CONDITIONAL -> AtomicValues.STORE_CONDITIONAL;
            default -> instruction.amoFunction();
        };
    }

    /**
     * Completes FLW or FLD as the hart would: the f register (a word NaN-boxed) and the real mstatus.FS Dirty, which
     * the guest's virtual sstatus.FS takes up ({@code HostHartBinding}); FS was not Off, or the instruction would
     * have raised illegal-instruction instead of reaching the device.
     */
    static void loadFloat(Hart hart, MemoryInstruction instruction, long value) {
        hart.setFloatRegister(instruction.rd(), LoadValues.floating(value, instruction.size()));
        hart.writeCsr(CsrNumbers.MSTATUS, hart.readCsr(CsrNumbers.MSTATUS) | VirtualSupervisorState.SSTATUS_FS);
    }
}
