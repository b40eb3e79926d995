package io.vmmlab.fullvirt.mmio;

import io.vmmlab.api.cpu.AtomicValues;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.LoadValues;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.emulate.InstructionDecoder;
import io.vmmlab.fullvirt.emulate.MemoryInstruction;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker;
import io.vmmlab.fullvirt.shadow.ShadowFault;
import io.vmmlab.fullvirt.shadow.ShadowMmu;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;

import java.util.Arrays;

/**
 * Handles a page fault of the deprivileged guest: lets the shadow MMU fill the shadow or classify the access, and
 * emulates the instruction when it touches a device or a write-protected guest page table (fetching it through
 * the guest's own mapping). Returns the fault the guest must see, if any.
 *
 * <p>A misaligned access that crosses a page boundary is two accesses for the hart (its MMU translates both pages
 * before it writes anything, and reports a fault in the second page at that page's first byte): when one part
 * needs the VMM, the VMM performs the whole access the same way, each part through its own page's guest
 * translation, rather than at the faulting part's address with the instruction's full width.
 *
 * <p>The instruction is read from guest memory, which may no longer hold what the hart ran: another hart or the host
 * rewrote it while the hart still ran its old copy (its decoded code, which FENCE.I refreshes, or under bt a
 * translation it was inside). An instruction whose access is not the one that faulted (another address, a load for
 * a store) is never emulated: the hart drops its stale copy and runs the instruction again ({@link #STALE_CODE}).
 */
public final class GuestMemoryFaultHandler {
    /**
     * A fault the guest must take.
     *
     * @param cause the exception code
     * @param tval the faulting address for stval
     */
    public record GuestFault(int cause, long tval) {
    }

    /**
     * Not a fault: the instruction in guest memory at the hart's pc does not make the access that faulted (the hart ran
     * an older copy of it). The caller drops the hart's stale code (decoded code, translations of the page) and lets
     * it run the instruction again, now as memory holds it.
     */
    public static final GuestFault STALE_CODE = new GuestFault(-1, 0);

    private final ShadowMmu shadow;
    private final MmioEmulator mmio;
    private final GuestMemory guestRam;
    private final Counter hiddenFaults;
    // Per hart: the pc of its last STALE_CODE answer and its retired-instruction count then, so that an instruction
    // that still does not match right after its fresh fetch (nothing retired since) is refused (an access fault)
    // rather than retried for ever. A later mismatch at the same pc, once the hart ran on, is stale code again.
    private final long[] stalePc;
    private final long[] staleRetired;

    /**
     * Creates the handler.
     *
     * @param shadow the shadow MMU
     * @param mmio the device-access emulator
     * @param guestRam the guest's RAM
     * @param counters where to count the hidden faults
     * @param harts how many harts
     */
    public GuestMemoryFaultHandler(ShadowMmu shadow, MmioEmulator mmio, GuestMemory guestRam, Counters counters,
                                   int harts) {
        this.stalePc = new long[harts];
        this.staleRetired = new long[harts];
        Arrays.fill(stalePc, -1);
        this.shadow = shadow;
        this.mmio = mmio;
        this.guestRam = guestRam;
        // A fault the guest never sees (the shadow lacked an entry the guest's tables allow): a trap into the VMM
        // and back, like every other exit here; the fill's walk of the guest's tables is shadow.fault-fill.
        this.hiddenFaults = counters.counter("shadow", "hidden-fault", CostCategory.TRAP_ROUND_TRIP);
    }

    /**
     * Handles one page fault.
     *
     * @param hart the real hart, stopped at the faulting instruction
     * @param state the guest's virtual state
     * @param access {@link GuestPageTableWalker#FETCH}, {@code LOAD} or {@code STORE}
     * @param va the faulting guest-virtual address
     * @return null when handled (the guest continues), otherwise the fault to reflect
     */
    public GuestFault handle(Hart hart, VirtualSupervisorState state, int access, long va) {
        int view = ShadowMmu.view(state.supervisor(), state.sum(), state.mxr());
        ShadowFault fault = shadow.resolve(state.satp(), view, va, access);
        return switch (fault.kind()) {
            case FILLED, RETRY -> {
                hiddenFaults.increment();
                yield null;
            }
            case GUEST_FAULT -> new GuestFault(fault.cause(), va);
            case MMIO, TRACED_STORE -> {
                MemoryInstruction instruction = fetch(hart, state);
                if (instruction == null) {
                    yield new GuestFault(GuestPageTableWalker.accessFault(access), va);
                }
                long address = hart.register(instruction.rs1()) + instruction.offset();
                if (!makes(instruction, address, access, va)) {
                    int id = hart.hartId();
                    boolean again = stalePc[id] == hart.pc() && staleRetired[id] == hart.instructionsRetired();
                    stalePc[id] = again ? -1 : hart.pc();
                    staleRetired[id] = hart.instructionsRetired();
                    yield again ? new GuestFault(GuestPageTableWalker.accessFault(access), va) : STALE_CODE;
                }
                stalePc[hart.hartId()] = -1;
                if ((address & 0xfff) + instruction.size() > 4096) {
                    yield split(hart, state, view, instruction, address);
                }
                int cause = fault.kind() == ShadowFault.Kind.MMIO
                        ? mmio.emulate(hart, instruction, fault.guestPhysical())
                        : tracedStore(hart, access, instruction, fault.guestPhysical());
                yield cause < 0 ? null : new GuestFault(cause, va);
            }
        };
    }

    /**
     * Tells whether a decoded instruction makes the access that faulted: the same kind (a store, SC or AMO for a store
     * fault) at the faulting address, or, for one that crosses a page boundary, at its second page's first byte.
     */
    private static boolean makes(MemoryInstruction instruction, long address, int access, long va) {
        if (instruction.writes() != (access == GuestPageTableWalker.STORE)) {
            return false;
        }
        long last = address + instruction.size() - 1;
        return va == address || (last & ~0xfffL) != (address & ~0xfffL) && va == (last & ~0xfffL);
    }

    /**
     * Performs a load or store that crosses a page boundary as the hart does: both pages translated first (a fault
     * in the first at the access's address, in the second at that page's first byte, nothing written), then each
     * byte through its page: into guest RAM keeping the shadows coherent, or to a device.
     */
    private GuestFault split(Hart hart, VirtualSupervisorState state, int view, MemoryInstruction instruction,
                             long address) {
        MemoryInstruction.Kind kind = instruction.kind();
        boolean store = instruction.writes();
        int access = store ? GuestPageTableWalker.STORE : GuestPageTableWalker.LOAD;
        if (kind != MemoryInstruction.Kind.LOAD && kind != MemoryInstruction.Kind.STORE
                && kind != MemoryInstruction.Kind.FLOAT_LOAD && kind != MemoryInstruction.Kind.FLOAT_STORE) {
            // Atomics are never misaligned here: the hart raises address-misaligned before it translates them.
            return new GuestFault(GuestPageTableWalker.accessFault(access), address);
        }
        int size = instruction.size();
        int firstBytes = 4096 - (int) (address & 0xfff);
        long second = address + firstBytes;
        long[] parts = {address, second};
        int[] lengths = {firstBytes, size - firstBytes};
        long[] physical = new long[2];
        for (int part = 0; part < 2; part++) {
            physical[part] = shadow.target(state.satp(), view, parts[part], access);
            if (physical[part] < 0) {
                return new GuestFault((int) (-physical[part] - 1), parts[part]);
            }
            if (!guestRam.range().contains(physical[part], lengths[part])
                    && !mmio.allows(physical[part], lengths[part])) {
                return new GuestFault(GuestPageTableWalker.accessFault(access), parts[part]);
            }
        }
        long value = store ? instruction.source(hart) : 0;
        long traced = -1; // a write-protected page the store reaches: its trap is a traced store
        long current = address; // the byte being accessed: a device's refusal faults there, as the hart's would
        try {
            for (int part = 0, shift = 0; part < 2; shift += 8 * lengths[part], part++) {
                boolean ram = guestRam.range().contains(physical[part], lengths[part]);
                if (store && ram && traced < 0 && shadow.isProtected(physical[part] & ~0xfffL)) {
                    traced = physical[part];
                }
                for (int i = 0; i < lengths[part]; i++) {
                    current = parts[part] + i;
                    long byteAddress = physical[part] + i;
                    int bitOffset = shift + 8 * i;
                    if (store && ram) {
                        shadow.store(byteAddress, 1, (value >>> bitOffset) & 0xff);
                    } else if (store) {
                        mmio.write(byteAddress, 1, (value >>> bitOffset) & 0xff);
                    } else {
                        long bits = ram ? guestRam.read8(byteAddress) : mmio.read(byteAddress, 1);
                        value |= (bits & 0xff) << bitOffset;
                    }
                }
                if (!ram) {
                    mmio.countExit(physical[part], store);
                } else if (store) {
                    hart.invalidateCode(physical[part], lengths[part]);
                }
            }
        } catch (MemoryAccessException e) { // a device refused a byte: the hart's own access faults at that byte
            return new GuestFault(GuestPageTableWalker.accessFault(access), current);
        }
        if (traced >= 0) {
            shadow.traceRefused(traced); // the trap that brought the VMM here, counted once
        }
        if (kind == MemoryInstruction.Kind.FLOAT_LOAD) {
            MmioEmulator.loadFloat(hart, instruction, value);
        } else if (!store) {
            hart.setRegister(instruction.rd(), LoadValues.integer(value, size, instruction.signed()));
        }
        hart.setPc(hart.pc() + instruction.length());
        return null;
    }

    private int tracedStore(Hart hart, int access, MemoryInstruction instruction, long guestPhysical) {
        if (!instruction.writes()) {
            return GuestPageTableWalker.accessFault(access);
        }
        int size = instruction.size();
        long source = instruction.source(hart);
        switch (instruction.kind()) {
            case STORE, FLOAT_STORE -> shadow.writeTraced(guestPhysical, size, source);
            case STORE_CONDITIONAL -> {
                // The store trapped before it could check the reservation (a trap into the VMM keeps it): the
                // hart checks it now, as it would have, and the write happens only if it holds.
                boolean stored = hart.storeConditional(guestPhysical, size,
                        () -> shadow.writeTraced(guestPhysical, size, source));
                if (!stored) {
                    shadow.traceRefused(guestPhysical);
                }
                hart.setRegister(instruction.rd(), stored ? 0 : 1);
            }
            case AMO -> hart.setRegister(instruction.rd(), AtomicValues.perform(hart, instruction.amoFunction(), size,
                    source, () -> guestRam.read(guestPhysical, size),
                    value -> shadow.writeTraced(guestPhysical, size, value))); // atomic with other harts' AMOs, SCs
            case LOAD, LOAD_RESERVED, FLOAT_LOAD -> {
                return GuestPageTableWalker.accessFault(access);
            }
        }
        // As for any store of the hart's own: code it decoded from these bytes goes (a page table that is code too).
        hart.invalidateCode(guestPhysical, size);
        hart.setPc(hart.pc() + instruction.length());
        return -1;
    }

    /**
     * Reads the instruction at the guest's pc through the guest's own mapping.
     *
     * @param hart the real hart
     * @param state the guest's virtual state
     * @return the decoded load, store or AMO, or null when it is none or cannot be read
     */
    MemoryInstruction fetch(Hart hart, VirtualSupervisorState state) {
        long pc = hart.pc();
        long low = halfword(state, pc);
        if (low < 0) {
            return null;
        }
        if (InstructionDecoder.length(low) == 2) {
            return InstructionDecoder.decodeMemory((int) low);
        }
        long high = halfword(state, pc + 2);
        return high < 0 ? null : InstructionDecoder.decodeMemory((int) (high << 16 | low));
    }

    private long halfword(VirtualSupervisorState state, long va) {
        long physical = shadow.walker().physical(state.satp(), va, GuestPageTableWalker.FETCH, !state.supervisor(),
                state.sum(), state.mxr(), false);
        if (physical < 0 || !guestRam.range().contains(physical, 2)) {
            return -1;
        }
        return guestRam.read16(physical);
    }
}
