package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.CalloutHandler;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.csr.CsrFile;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.exec.AtomicExecutor;
import io.vmmlab.cpu.exec.Interpreter;
import io.vmmlab.cpu.exec.SystemExecutor;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.PageTableWalker;
import io.vmmlab.cpu.mmu.PhysicalMemory;
import io.vmmlab.cpu.trap.InterruptState;
import io.vmmlab.cpu.trap.TrapException;
import io.vmmlab.cpu.trap.TrapUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;

/**
 * An RV64IMAC(+H) hart executed by the pre-decoding interpreter: wires the state, CSR file, MMU, trap unit and
 * executors, and implements the host-facing {@link Hart} contract (run loop, trap interception, interrupt
 * lines, direct state access).
 *
 * <p>Interrupts are checked before every block of at most {@value #BLOCK} instructions, and after every SYSTEM
 * instruction (CSR writes, xRET, WFI), which ends a block. A trap whose target level the host owns (see
 * {@link TrapInterception}) is not taken: {@link #run} returns {@link HartExit#TRAP} with the hart unchanged.
 * Exceptions taken inside the hart count as one instruction against the {@code run} budget, so that a guest
 * stuck in a trap loop still returns to its host.
 * This hart supports no optional {@linkplain HartConfig#features() features}; any name is rejected. It supports
 * {@linkplain CalloutHandler callouts}, and the ISA extension {@code xleakysensitive} (see {@link LeakySensitiveCsr}).
 */
public final class Rv64Hart implements Hart {
    private static final Logger log = LoggerFactory.getLogger(Rv64Hart.class);
    private static final int BLOCK = 4096;
    private static final Set<String> KNOWN_FEATURES = Set.of();

    private final HartConfig config;
    private final HartState state = new HartState();
    private final TrapException trap = new TrapException();
    private final InterruptState interrupts;
    private final CsrFile csrs;
    private final Mmu mmu;
    private final TrapUnit traps;
    private final AtomicExecutor atomics;
    private final Interpreter interpreter;
    private final Counter instructions;
    private TrapInterception interception = TrapInterception.NONE;
    private PendingTrap pendingTrap;
    private final boolean leakySensitive;
    private CalloutHandler calloutHandler;
    private volatile boolean exitRequested;

    /**
     * Builds a hart in its reset state.
     *
     * @param config hart id, ISA, reset pc and features
     * @param resources the board
     * @throws IllegalArgumentException for unknown features
     */
    public Rv64Hart(HartConfig config, HartResources resources) {
        this.config = Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(resources, "resources is null");
        for (String feature : config.features()) {
            if (!KNOWN_FEATURES.contains(feature)) {
                throw new IllegalArgumentException("unknown hart feature '" + feature + "'; known: " + KNOWN_FEATURES);
            }
        }
        IsaSpec isa = config.isa();
        this.leakySensitive = isa.has(LeakySensitiveCsr.EXTENSION);
        this.interrupts = new InterruptState(resources.time());
        PhysicalMemory memory = new PhysicalMemory(resources.memory(), resources.mmio());
        this.mmu = new Mmu(state, memory, trap, resources.counters().counter("tlb", "flush", CostCategory.TLB_FLUSH));
        this.csrs = new CsrFile(config.hartId(), isa, state, interrupts, resources.time(), mmu, trap);
        mmu.connect(csrs, new PageTableWalker(state, csrs, memory, trap,
                resources.counters().counter("mmu", "walk", CostCategory.PAGE_WALK)));
        this.traps = new TrapUnit(state, csrs, interrupts, mmu, resources.counters());
        this.atomics = new AtomicExecutor(mmu, trap);
        SystemExecutor system = new SystemExecutor(state, csrs, traps, mmu, atomics, trap);
        InstructionDecoder decoder = new InstructionDecoder(isa.has('m'), isa.has('a'), isa.has('c'), isa.has('h'));
        this.interpreter = new Interpreter(state, mmu, decoder, system, atomics, trap);
        this.instructions = resources.counters().counter("hart", "instructions", CostCategory.INSTRUCTION);
        reset(config.resetPc());
        log.debug("Created hart {} ({})", config.hartId(), isa);
    }

    @Override
    public int hartId() {
        return config.hartId();
    }

    @Override
    public IsaSpec isa() {
        return config.isa();
    }

    @Override
    public HartExit run(long maxInstructions) {
        pendingTrap = null;
        long start = state.instret;
        long trapsTaken = 0;
        try {
            while (true) {
                if (exitRequested) {
                    exitRequested = false;
                    return HartExit.EXIT_REQUESTED;
                }
                long interrupt = traps.pendingInterrupt();
                if (interrupt != TrapUnit.NO_INTERRUPT && deliver(interrupt, 0, 0, 0)) {
                    return HartExit.TRAP;
                }
                // Traps count against the budget too, so a trap loop (a fault at an unmapped mtvec) still returns.
                long done = state.instret - start + trapsTaken;
                if (done >= maxInstructions) {
                    return HartExit.BUDGET_EXHAUSTED;
                }
                int status;
                try {
                    status = interpreter.execute((int) Math.min(maxInstructions - done, BLOCK));
                } catch (TrapException exception) {
                    if (exception.cause() == TrapCause.ILLEGAL_INSTRUCTION && executeNonTrapping(exception)) {
                        continue;
                    }
                    if (deliver(exception.cause(), exception.tval(), exception.tval2(), exception.tinst())) {
                        return HartExit.TRAP;
                    }
                    trapsTaken++;
                    continue;
                }
                if (status == SystemExecutor.WAIT && (interrupts.pending() & interrupts.enabled) == 0) {
                    return HartExit.WAIT_FOR_INTERRUPT;
                }
            }
        } finally {
            instructions.add(state.instret - start);
        }
    }

    /**
     * An illegal-instruction exception that is no trap after all: a callout (with a handler registered), or a
     * leaky sensitive instruction in U-mode. Either retires without changing any CSR.
     */
    private boolean executeNonTrapping(TrapException exception) {
        int bits = (int) exception.tval();
        if ((bits & 0x7f) == CalloutHandler.OPCODE && calloutHandler != null) {
            state.instret++;
            calloutHandler.callout(this, bits);
            return true;
        }
        if (leakySensitive && state.mode == HartState.USER && !state.virtual
                && LeakySensitiveCsr.execute(state, csrs, bits)) {
            state.instret++;
            return true;
        }
        return false;
    }

    private boolean deliver(long cause, long tval, long tval2, long tinst) {
        int code = (int) (cause & 63);
        int target = cause < 0 ? traps.interruptTarget(code) : traps.exceptionTarget(code);
        boolean intercepted = switch (interception) {
            case NONE -> false;
            case MACHINE -> target == TrapUnit.MACHINE;
            case HYPERVISOR -> target == TrapUnit.MACHINE || target == TrapUnit.HYPERVISOR;
        };
        if (intercepted) {
            pendingTrap = new PendingTrap(cause, tval, tval2, tinst, state.pc, state.privilege(), state.virtual);
            return true;
        }
        atomics.clearReservation();
        traps.take(target, cause, tval, tval2, tinst);
        return false;
    }

    @Override
    public PendingTrap pendingTrap() {
        return pendingTrap;
    }

    @Override
    public void setTrapInterception(TrapInterception interception) {
        this.interception = Objects.requireNonNull(interception, "interception is null");
    }

    @Override
    public void takeTrap(long cause, long tval) {
        atomics.clearReservation();
        traps.take(cause, tval, 0, 0);
    }

    @Override
    public long pc() {
        return state.pc;
    }

    @Override
    public void setPc(long pc) {
        state.pc = pc;
    }

    @Override
    public long register(int index) {
        Objects.checkIndex(index, 32);
        return state.x[index];
    }

    @Override
    public void setRegister(int index, long value) {
        Objects.checkIndex(index, 32);
        if (index != 0) {
            state.x[index] = value;
        }
    }

    @Override
    public PrivilegeMode privilege() {
        return state.privilege();
    }

    @Override
    public boolean virtualMode() {
        return state.virtual;
    }

    @Override
    public void setPrivilege(PrivilegeMode mode, boolean virtual) {
        Objects.requireNonNull(mode, "mode is null");
        if (virtual && (!csrs.hasHypervisor() || mode == PrivilegeMode.MACHINE)) {
            throw new IllegalArgumentException("V=1 needs the H extension and a mode below M");
        }
        state.mode = mode.encoding();
        state.virtual = virtual;
        mmu.updateContext();
    }

    @Override
    public long readCsr(int address) {
        return csrs.readDirect(address);
    }

    @Override
    public void writeCsr(int address, long value) {
        csrs.writeDirect(address, value);
        mmu.updateContext();
    }

    @Override
    public InterruptLine interruptLine(HartInterrupt interrupt) {
        return interrupts.line(Objects.requireNonNull(interrupt, "interrupt is null"));
    }

    @Override
    public void requestExit() {
        exitRequested = true;
    }

    @Override
    public long instructionsRetired() {
        return state.instret;
    }

    @Override
    public void flushCaches() {
        mmu.reset();
    }

    @Override
    public void invalidateCode(long physicalAddress, long length) {
        PhysicalMemory memory = mmu.memory();
        long end = physicalAddress + length;
        for (long address = physicalAddress; address < end; address = (address | 0xfff) + 1) {
            memory.invalidateCode(address, (int) Math.min(end - address, 0x1000 - (address & 0xfff)));
        }
    }

    @Override
    public void setCalloutHandler(CalloutHandler handler) {
        this.calloutHandler = handler;
        mmu.reset();
    }

    @Override
    public void reset(long pc) {
        state.reset(pc);
        state.instret = 0;
        csrs.reset();
        atomics.clearReservation();
        mmu.reset();
        pendingTrap = null;
    }
}
