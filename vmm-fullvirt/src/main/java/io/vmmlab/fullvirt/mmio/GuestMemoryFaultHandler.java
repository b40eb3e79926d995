package io.vmmlab.fullvirt.mmio;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.emulate.InstructionDecoder;
import io.vmmlab.fullvirt.emulate.MemoryInstruction;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker;
import io.vmmlab.fullvirt.shadow.ShadowFault;
import io.vmmlab.fullvirt.shadow.ShadowMmu;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;

/**
 * Handles a page fault of the deprivileged guest: lets the shadow MMU fill the shadow or classify the access, and
 * emulates the instruction when it touches a device or a write-protected guest page table (fetching it through
 * the guest's own mapping). Returns the fault the guest must see, if any.
 */
public final class GuestMemoryFaultHandler {
    private final ShadowMmu shadow;
    private final MmioEmulator mmio;
    private final GuestMemory guestRam;
    private final Counter hiddenFaults;

    /**
     * Creates the handler.
     *
     * @param shadow the shadow MMU
     * @param mmio the device-access emulator
     * @param guestRam the guest's RAM
     * @param counters where to count the hidden faults
     */
    public GuestMemoryFaultHandler(ShadowMmu shadow, MmioEmulator mmio, GuestMemory guestRam, Counters counters) {
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
     * @return -1 when handled (the guest continues), otherwise the exception code to reflect with tval = va
     */
    public int handle(Hart hart, VirtualSupervisorState state, int access, long va) {
        int view = ShadowMmu.view(state.supervisor(), state.sum(), state.mxr());
        ShadowFault fault = shadow.resolve(state.satp(), view, va, access);
        return switch (fault.kind()) {
            case FILLED, RETRY -> {
                hiddenFaults.increment();
                yield -1;
            }
            case GUEST_FAULT -> fault.cause();
            case MMIO -> {
                MemoryInstruction instruction = fetch(hart, state);
                yield instruction == null ? GuestPageTableWalker.accessFault(access)
                        : mmio.emulate(hart, instruction, fault.guestPhysical());
            }
            case TRACED_STORE -> tracedStore(hart, state, access, fault.guestPhysical());
        };
    }

    private int tracedStore(Hart hart, VirtualSupervisorState state, int access, long guestPhysical) {
        MemoryInstruction instruction = fetch(hart, state);
        if (instruction == null || !instruction.writes()) {
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
            case AMO -> {
                long[] old = new long[1];
                hart.atomically(() -> { // atomic with the other harts' AMOs and SCs
                    long value = guestRam.read(guestPhysical, size);
                    old[0] = size == 4 ? (int) value : value;
                    shadow.writeTraced(guestPhysical, size,
                            InstructionDecoder.amo(instruction.amoFunction(), size, old[0], source));
                });
                hart.setRegister(instruction.rd(), old[0]);
            }
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
