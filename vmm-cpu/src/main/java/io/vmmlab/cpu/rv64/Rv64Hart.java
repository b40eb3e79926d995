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
import io.vmmlab.cpu.decode.BitManipEncoding;
import io.vmmlab.cpu.decode.CompressedExpander;
import io.vmmlab.cpu.decode.CryptoEncoding;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.exec.AtomicExecutor;
import io.vmmlab.cpu.exec.FloatExecutor;
import io.vmmlab.cpu.exec.Interpreter;
import io.vmmlab.cpu.exec.SystemExecutor;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.PageTableWalker;
import io.vmmlab.cpu.mmu.PhysicalMemory;
import io.vmmlab.cpu.trap.InterruptState;
import io.vmmlab.cpu.trap.TrapException;
import io.vmmlab.cpu.trap.TransformedInstruction;
import io.vmmlab.cpu.trap.TrapUnit;
import io.vmmlab.cpu.translate.BlockTranslator;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

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
    /** Exceptions whose htinst/mtinst carries the transformed load/store/AMO: misaligned, access, page faults. */
    private static final long TRANSFORMED_CAUSES = 1L << 4 | 1L << 5 | 1L << 6 | 1L << 7 | 1L << 13 | 1L << 15
            | 1L << 21 | 1L << 23;

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
    // Traps taken in a row without an instruction retired in between (see trapsWithoutProgress), and the
    // instruction count when the first of them was taken.
    private long trapsWithoutProgress;
    private long instretAtLastTrap = -1;

    /**
     * Builds a hart in its reset state.
     *
     * @param config hart id, ISA, reset pc and features
     * @param resources the board
     * @throws IllegalArgumentException for unknown features
     */
    public Rv64Hart(HartConfig config, HartResources resources) {
        this(config, resources, null);
    }

    /**
     * Builds a hart in its reset state, optionally with the translating engine: hot blocks are compiled to JVM
     * bytecode ({@link BlockTranslator}); the interpreter stays the cold path.
     *
     * @param config hart id, ISA, reset pc and features
     * @param resources the board
     * @param translator the translator's settings, or null to interpret only
     * @throws IllegalArgumentException for unknown features
     */
    public Rv64Hart(HartConfig config, HartResources resources, TranslatorConfig translator) {
        this.config = Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(resources, "resources is null");
        ImplementedExtensions.require(config.isa());
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
        this.csrs = new CsrFile(config.hartId(), isa, config.translation(), state, interrupts, resources.time(), mmu, trap);
        mmu.connect(csrs, new PageTableWalker(state, csrs, memory, trap,
                resources.counters().counter("mmu", "walk", CostCategory.PAGE_WALK),
                resources.counters().counter("mmu", "gstage-walk", CostCategory.NONE), mmu.protection()));
        this.traps = new TrapUnit(state, csrs, interrupts, mmu, resources.counters());
        this.atomics = new AtomicExecutor(mmu, trap);
        SystemExecutor system = new SystemExecutor(state, csrs, traps, mmu, atomics, trap,
                resources.counters().counter("tlb", "hfence", CostCategory.NONE));
        InstructionDecoder decoder = new InstructionDecoder(isa.has('m'), isa.has('a'), isa.has('c'), isa.has('h'),
                isa.has('f'), isa.has('d'), new BitManipEncoding(isa.multiLetter()),
                new CryptoEncoding(isa.multiLetter()));
        FloatExecutor floats = csrs.floats() == null ? null : new FloatExecutor(state, csrs.floats(), mmu, trap);
        BlockTranslator blockTranslator = translator == null ? null : new BlockTranslator(translator,
                resources.memory(), mmu.tlbData(),
                resources.counters().counter("translator", "regions", CostCategory.NONE),
                resources.counters().counter("translator", "instructions", CostCategory.NONE), floats);
        this.interpreter = new Interpreter(state, mmu, decoder, system, atomics, trap, blockTranslator, floats);
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
        mmu.refreshDeviceWindows();
        mmu.enterRun();
        long start = state.instret;
        long trapsTaken = 0;
        try {
            while (true) {
                if (exitRequested) {
                    exitRequested = false;
                    return HartExit.EXIT_REQUESTED;
                }
                long interrupt = traps.pendingInterrupt();
                if (interrupt != TrapUnit.NO_INTERRUPT && deliver(interrupt, 0, 0, 0, false)) {
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
                    boolean virtualMachineAccess = exception.guestVirtualAddress();
                    long tinst = exception.tinst() != 0 ? exception.tinst()
                            : transformedInstruction(exception.cause(), exception.tval());
                    if (deliver(exception.cause(), exception.tval(), exception.tval2(), tinst, virtualMachineAccess)) {
                        return HartExit.TRAP;
                    }
                    trapsTaken++;
                    countTrapWithoutProgress();
                    continue;
                }
                if (status == SystemExecutor.CALLOUT) {
                    state.instret++; // it retires, changing no CSR
                    calloutHandler.callout(this, interpreter.calloutBits());
                    continue;
                }
                if (status == SystemExecutor.WAIT && (interrupts.pending() & interrupts.enabled) == 0) {
                    return HartExit.WAIT_FOR_INTERRUPT;
                }
            }
        } finally {
            instructions.add(state.instret - start);
            mmu.leaveRun();
        }
    }

    private void countTrapWithoutProgress() {
        if (state.instret != instretAtLastTrap) {
            instretAtLastTrap = state.instret;
            trapsWithoutProgress = 0;
        }
        trapsWithoutProgress++;
    }

    @Override
    public long timerDeadline() {
        return interrupts.timerDeadline();
    }

    @Override
    public long trapsWithoutProgress() {
        return state.instret == instretAtLastTrap ? trapsWithoutProgress : 0;
    }

    /**
     * Returns htinst/mtinst for an exception raised by an explicit load, store or AMO (H extension only): the
     * trapping instruction, re-read at pc, transformed; 0 for other causes or when it cannot be re-read.
     */
    private long transformedInstruction(long cause, long tval) {
        if (!csrs.hasHypervisor() || ((TRANSFORMED_CAUSES >>> cause) & 1) == 0) {
            return 0;
        }
        long pc = state.pc;
        try {
            int bits = mmu.fetchParcel(pc);
            if ((bits & 3) == 3) {
                bits |= mmu.fetchParcel(pc + 2) << 16;
            }
            return TransformedInstruction.of(bits, state.x[(bits & 3) == 3 ? (bits >>> 15) & 31
                    : compressedBase(bits)], tval);
        } catch (TrapException unreadable) {
            return 0;
        }
    }

    private static int compressedBase(int bits) {
        int expanded = CompressedExpander.expand(bits & 0xffff);
        return (expanded >>> 15) & 31;
    }

    /**
     * An illegal-instruction exception that is no trap after all: a leaky sensitive instruction in U-mode, which
     * retires without changing any CSR. (Callouts never get here: with a handler registered the interpreter stops in
     * front of them, {@link SystemExecutor#CALLOUT}.)
     */
    private boolean executeNonTrapping(TrapException exception) {
        int bits = (int) exception.tval();
        if (leakySensitive && state.mode == HartState.USER && !state.virtual
                && LeakySensitiveCsr.execute(state, csrs, bits)) {
            state.instret++;
            return true;
        }
        return false;
    }

    private boolean deliver(long cause, long tval, long tval2, long tinst, boolean virtualMachineAccess) {
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
        traps.take(target, cause, tval, tval2, tinst, virtualMachineAccess);
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

    /**
     * Reads a floating-point register.
     *
     * @param index 0 to 31
     * @return its 64 bits (a single-precision value NaN-boxed); zero on a hart without F
     */
    @Override
    public long floatRegister(int index) {
        Objects.checkIndex(index, 32);
        return state.f[index];
    }

    @Override
    public void setFloatRegister(int index, long value) {
        Objects.checkIndex(index, 32);
        state.f[index] = value;
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
    public void setCsrBits(int address, long bits) {
        writeCsr(address, csrs.readModifyWriteBase(address, csrs.readDirect(address)) | bits);
    }

    @Override
    public void clearCsrBits(int address, long bits) {
        writeCsr(address, csrs.readModifyWriteBase(address, csrs.readDirect(address)) & ~bits);
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
    public void flushTranslations() {
        mmu.flushTranslations();
    }

    @Override
    public void flushTranslations(long virtualAddress, long length) {
        mmu.flushTranslations(virtualAddress, length);
    }

    @Override
    public void revokeWrite(long physicalPage) {
        mmu.flushStoresTo(physicalPage & ~0xfffL);
    }

    @Override
    public boolean storeConditional(long physicalAddress, int size, Runnable store) {
        return atomics.storeConditional(physicalAddress, size, store);
    }

    @Override
    public void clearReservation() {
        atomics.clearReservation();
    }

    @Override
    public long loadReserved(long physicalAddress, int size, LongSupplier load) {
        return atomics.loadReserved(physicalAddress, size, load);
    }

    @Override
    public void atomically(Runnable update) {
        atomics.atomically(update);
    }

    /**
     * Drops this hart's decoded code of the range at once, and counts the write for the other harts over the same
     * RAM, which drop their code of those pages at their next FENCE.I (see {@code CodeCoherence}).
     */
    @Override
    public void invalidateCode(long physicalAddress, long length) {
        PhysicalMemory memory = mmu.memory();
        long end = physicalAddress + length;
        for (long address = physicalAddress; address < end; address = (address | 0xfff) + 1) {
            memory.hostWrote(address, (int) Math.min(end - address, 0x1000 - (address & 0xfff)));
        }
    }

    @Override
    public void fenceInstructions() {
        mmu.fenceInstructions();
    }

    @Override
    public void setCalloutHandler(CalloutHandler handler) {
        this.calloutHandler = handler;
        interpreter.handleCallouts(handler != null);
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
