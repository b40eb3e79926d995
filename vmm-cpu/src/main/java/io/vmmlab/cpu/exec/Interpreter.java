package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.CalloutHandler;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.PhysicalMemory;
import io.vmmlab.cpu.mmu.Tlb;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TrapException;
import io.vmmlab.cpu.translate.BlockTranslator;
import io.vmmlab.cpu.translate.RegionExit;
import io.vmmlab.cpu.translate.TranslatedCode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.vmmlab.cpu.decode.Opcodes.*;

/**
 * The interpreter: executes pre-decoded {@link Block}s (ISA manual, unprivileged volume, RV32I/RV64I, M and A
 * chapters for the semantics).
 *
 * <p>It has two levels. {@link #fastRun} is the hot loop: it runs one block after another, following the
 * successor links of blocks in the same page (or looking the next block up in the current page's table, or in
 * another page's that the fetch TLB maps), with one budget check per block and no pc, page, budget or interrupt
 * bookkeeping per instruction (only a block's last instruction can transfer control). Loads and stores probe the
 * data TLB inline and access RAM directly. A block's straight-line body runs in {@link #runBody}, a method of its own
 * so that the JIT keeps that loop's few values in registers; the hot loop makes no other calls (but the divisions'
 * {@link #divide}). Whatever needs one
 * (a code page the fetch TLB does not map, decoding, a TLB miss, a device or code page, an atomic, a SYSTEM
 * instruction, a trap) makes it return to
 * {@link #execute}, the driver, which handles that one instruction and resumes it. SYSTEM instructions end the
 * run, so the hart re-checks interrupts and re-selects the fetch page after them.
 *
 * <p>Traps propagate as the hart's {@link TrapException}; {@code state.pc} then holds the trapping instruction's
 * pc (the block's pc plus the instruction's offset) and {@code state.instret} counts exactly the instructions
 * that retired before it (the block's retired count plus the instruction's index).
 *
 * <p>Self-modifying code: a store into a page that holds blocks takes the slow path, which drops the blocks it
 * overlaps; if it dropped any, the current block ends after the store, so the next instruction is fetched
 * afresh (stronger than the ISA requires without FENCE.I).
 *
 * <p>With a {@link BlockTranslator} (the {@code translator} engine), a block that becomes hot ({@link Block#heat})
 * is translated to JVM code ({@link TranslatedCode}); the driver runs that code in place of the hot loop whenever
 * it reaches the block at a block boundary, and the hot loop leaves for the driver when it reaches a translated
 * block. Translated code follows the same exit protocol as the hot loop (a block boundary, or an instruction that
 * needs the driver), so both engines stop, trap and count at the same places.
 */
public final class Interpreter {
    /**
     * fastRun results: the pc left the current code page for one the fetch TLB does not map, reached code not
     * decoded yet, or the next block does not fit in the budget.
     */
    private static final int EXIT_LOOKUP = 0;
    /** fastRun results: instruction {@link #runIndex} of {@link #runInsns} needs the driver. */
    private static final int EXIT_INSN = 1;

    /** RAM classes whose accessors {@link #primeJit} has run. */
    private static final Set<Class<?>> PRIMED = ConcurrentHashMap.newKeySet();

    private final HartState state;
    private final Mmu mmu;
    private final PhysicalMemory physical;
    private final GuestMemory ram;
    private final InstructionDecoder decoder;
    private final SystemExecutor system;
    private final AtomicExecutor atomics;
    /** The F and D extensions' instructions, or null on a hart without F (the decoder then never makes FLOAT). */
    private final FloatExecutor floats;
    private final TrapException trap;
    private final long misalignedTargetMask;
    private final long[] decodeBuffer = new long[Block.MAX_INSTRUCTIONS];
    // Whether the hart has a callout handler (execute then returns CALLOUT at a callout), and the last one's bits.
    private boolean handleCallouts;
    private int calloutBits;
    // fastRun's copy of the registers: index 32 is the sink, the rest room for masked register numbers (a power of
    // two, see fastRun). Once a new array per call, so that C2 knew its length: in Linux's boot, which calls fastRun
    // about once per 35 instructions, that was 295 MB of garbage on the way to init, three collections, and a page
    // fault for every fresh 4 KiB of the young generation (to init 0.55 -> 0.46 s; the interpreter alone on
    // bench.elf 9% faster).
    private final long[] registers = new long[64];
    private final int[] offsetBuffer = new int[Block.MAX_INSTRUCTIONS + 1];
    private final BlockTranslator translator;
    private final RegionExit exit = new RegionExit();
    // For runBody: the data TLB's entries and this hart's base among them (set at each fastRun entry), and the start
    // pc of the block whose body runs (for AUIPC).
    private long[] runTlb;
    private int runTlbBase;
    private long bodyPc;

    // fastRun's state on exit: the current block's start pc, the instructions retired before that block, and the
    // block's instructions (null at a block boundary) with the index of the one that needs the driver.
    private long runPc;
    private int runRetired;
    private Insn[] runInsns;
    private int runIndex;
    // The current code page of this run.
    private long pageNumber = -1;
    // The last run ended where its budget did (inside a block, or before a block that did not fit): the block the
    // next run starts with is not a place control flow chose, so it does not count towards translation; neither do
    // the blocks that translated regions already include (Block.covered) which the interpreter runs from
    // there until it reaches translated code again (the region the budget interrupted, usually), up to
    // RESUMPTION_BLOCKS of them. Counted, every block of a hot function would in time become the entry of a region
    // of its own (budgets end anywhere, every 4096 instructions or so), and its code would run as a chain of partial
    // regions, each leaving where the next begins.
    private static final int RESUMPTION_BLOCKS = 16;
    private boolean resumingAtBudgetEnd;
    private int uncounted;
    private DecodedPage page;
    private Block[] pageBlocks;

    /**
     * Wires the interpreter.
     *
     * @param state registers, pc and the retired-instruction count
     * @param mmu memory access and code pages
     * @param decoder instruction decoder
     * @param system SYSTEM instruction executor
     * @param atomics A-extension executor
     * @param trap the hart's reusable trap
     */
    public Interpreter(HartState state, Mmu mmu, InstructionDecoder decoder, SystemExecutor system,
                       AtomicExecutor atomics, TrapException trap) {
        this(state, mmu, decoder, system, atomics, trap, null, null);
    }

    /**
     * Wires the interpreter with a translator: blocks that become hot are translated to JVM code, which then
     * runs in their place (the interpreter remains the cold path and handles what translated code leaves to it).
     *
     * @param state registers, pc and the retired-instruction count
     * @param mmu memory access and code pages
     * @param decoder instruction decoder
     * @param system SYSTEM instruction executor
     * @param atomics A-extension executor
     * @param trap the hart's reusable trap
     * @param translator the translator, or null to interpret only
     * @param floats F/D executor, or null without the F extension
     */
    public Interpreter(HartState state, Mmu mmu, InstructionDecoder decoder, SystemExecutor system,
                       AtomicExecutor atomics, TrapException trap, BlockTranslator translator, FloatExecutor floats) {
        this.translator = translator;
        this.floats = floats;
        this.state = state;
        this.mmu = mmu;
        this.physical = mmu.memory();
        this.ram = physical.ram();
        this.decoder = decoder;
        this.system = system;
        this.atomics = atomics;
        this.trap = trap;
        this.misalignedTargetMask = decoder.compressed() ? 0 : 2;
        primeJit(ram);
    }

    /**
     * JIT priming, once per RAM class: makes HotSpot inline the RAM accessors into {@link #runBody} whatever the
     * guest does while the interpreter is being profiled. A call that is not inlined anywhere in the hot loop
     * makes the JIT spill the loop's state to the stack, costing about a third of the speed; and whether the
     * range check that the accessors share gets inlined depends on how often each accessor ran before (a store
     * width the guest rarely used early on would stay a call). Two facts of HotSpot's inlining policy fix that:
     * a method that has thrown many exceptions from the interpreter is always inlined, and (on JDK 17) so is an
     * accessor that has run a few hundred times. So, before the machine runs: accesses just past the end of RAM,
     * which throw {@link MemoryAccessException} without touching memory (before the range check has a profile,
     * so that the throwing path stays out of compiled code), then reads and same-value write-backs of the last
     * eight bytes of RAM, which change nothing (no hart runs yet).
     */
    private static void primeJit(GuestMemory ram) {
        if (!PRIMED.add(ram.getClass())) {
            return;
        }
        long base = ram.range().base();
        long size = ram.range().size();
        if (size < 8 || base + size < base) {
            return;
        }
        for (int i = 0; i < 64; i++) {
            try {
                ram.write8(base + size, 0);
            } catch (MemoryAccessException expected) {
                // the point of the exercise
            }
        }
        long last = base + size - 8;
        for (int i = 0; i < 300; i++) {
            long value = ram.read64(last);
            ram.write64(last, value);
            ram.write32(last, (int) value);
            ram.write16(last, (int) value);
            ram.write8(last, (int) value);
        }
    }

    /**
     * Executes up to {@code budget} instructions, stopping early at a block boundary when the next block does
     * not fit (unless nothing ran yet: then it runs the part that fits), and after a SYSTEM instruction.
     *
     * @param budget instruction limit, at least 1
     * @return {@link SystemExecutor#CONTINUE} or {@link SystemExecutor#WAIT}
     * @throws TrapException when an instruction raises an exception
     */
    public int execute(int budget) {
        final long[] x = state.x;
        long pc = state.pc;
        int retired = 0;
        Insn[] insns = null;
        int index = 0;
        // Where a trap raised now would point, and how many instructions retired before it.
        long faultPc = pc;
        int faultRetired = 0;
        pageNumber = -1; // translations may have changed since the last run
        if (translator != null) {
            translator.attachFinished(state.instret);
        }
        try {
            while (true) {
                int reason;
                if (insns == null) {
                    // At a block boundary: find the block; run its translation if it has one.
                    faultPc = pc;
                    faultRetired = retired;
                    if (retired >= budget) {
                        // The budget is used up: the next block (and its fetch, which may fault) is the next run's.
                        uncounted = RESUMPTION_BLOCKS;
                        resumingAtBudgetEnd = true;
                        state.pc = pc;
                        return SystemExecutor.CONTINUE;
                    }
                    if ((pc >>> 12) != pageNumber) {
                        page = mmu.fetchPage(pc);
                        pageBlocks = page.blocks();
                        pageNumber = pc >>> 12;
                        if (mmu.partialFetch()) {
                            // PMP makes this page executable in part: one instruction, then fetch (check) again.
                            budget = Math.min(budget, retired + 1);
                            pageNumber = -1;
                        }
                    }
                    Block block = pageBlocks[(int) (pc >>> 1) & (DecodedPage.SLOTS - 1)];
                    if (block == null) {
                        block = build(page, pc);
                    }
                    if (block.length > budget - retired) {
                        if (retired == 0) {
                            // Nothing ran yet: run the part that fits, one by one (at most once per run).
                            insns = block.insns;
                            index = 0;
                            while (retired < budget) {
                                faultPc = pc + insns[index].offset;
                                faultRetired = retired;
                                slow(x, insns[index], pc);
                                retired++;
                                index++; // stays below the block's length, which exceeds the budget
                                if (physical.takeCodeOverwritten()) {
                                    break;
                                }
                            }
                            pc += insns[index].offset;
                        }
                        uncounted = RESUMPTION_BLOCKS;
                        resumingAtBudgetEnd = true;
                        state.pc = pc;
                        return SystemExecutor.CONTINUE;
                    }
                    if (block.code == null && !resumingAtBudgetEnd
                            && (uncounted > 0 && block.covered ? --uncounted < 0 : --block.heat < 0)) {
                        becameHot(block, page);
                    }
                    resumingAtBudgetEnd = false;
                    TranslatedCode code = block.code;
                    if (code != null) {
                        uncounted = 0;
                        int limit = code.runBudget(retired, budget);
                        int result = code.run(x, mmu.dataContext(), pc, retired, limit, exit);
                        pc = exit.pc;
                        translator.ranTranslated(exit.retired - retired);
                        retired = exit.retired;
                        if (result == TranslatedCode.AT_BOUNDARY) {
                            if (limit != budget) {
                                // Cut short, so (usually) not where control flow left the region: the blocks up to
                                // the next translated code do not count. (A cut run that leaves through its own
                                // control flow is treated the same; that delays counting by a few blocks at most.)
                                uncounted = RESUMPTION_BLOCKS;
                            }
                            continue;
                        }
                        insns = code.member(result >>> 8).insns;
                        index = result & 0xff;
                        reason = EXIT_INSN;
                    } else {
                        reason = fastRun(pc, retired, budget, block.insns, 0);
                        pc = runPc;
                        retired = runRetired;
                        insns = runInsns;
                        index = runIndex;
                    }
                } else {
                    reason = fastRun(pc, retired, budget, insns, index);
                    pc = runPc;
                    retired = runRetired;
                    insns = runInsns;
                    index = runIndex;
                }
                if (reason == EXIT_LOOKUP) {
                    continue; // at a block boundary (insns is null)
                }
                // EXIT_INSN: a body instruction that needs the slow path, or a terminator the loop left to us.
                Insn insn = insns[index];
                faultPc = pc + insn.offset;
                faultRetired = retired + insn.index;
                if (insn.next != null) {
                    slow(x, insn, pc);
                    index++;
                    if (physical.takeCodeOverwritten()) {
                        // The store may have rewritten what follows: fetch it afresh.
                        retired += index;
                        pc += insns[index].offset;
                        insns = null;
                    }
                } else if (insn.raw == ILLEGAL && handleCallouts
                        && ((int) insn.imm & 0x7f) == CalloutHandler.OPCODE) {
                    // A callout for the hart's handler: stop in front of it, as its illegal-instruction trap would,
                    // without throwing (translated guest kernels make one every few dozen instructions).
                    state.pc = faultPc;
                    retired = faultRetired;
                    calloutBits = (int) insn.imm;
                    return SystemExecutor.CALLOUT;
                } else if (Block.isSystem(insn.raw)) {
                    // It sees exact counters, and the run ends after it.
                    state.pc = faultPc;
                    state.instret += faultRetired;
                    retired = 0;
                    faultRetired = 0;
                    int status = system.execute(insn.word(), insn.imm, pc + insn.aux);
                    retired = 1;
                    return status;
                } else {
                    pc = terminator(x, insn, pc);
                    retired += insn.index + 1;
                    insns = null;
                }
            }
        } catch (TrapException exception) {
            state.pc = faultPc;
            retired = faultRetired;
            throw exception;
        } finally {
            state.instret += retired;
        }
    }

    /**
     * Tells the interpreter whether the hart handles callout instructions itself: {@link #execute} then returns
     * {@link SystemExecutor#CALLOUT} at one instead of raising the illegal-instruction trap it would otherwise be.
     *
     * @param handled true when a callout handler is registered
     */
    public void handleCallouts(boolean handled) {
        this.handleCallouts = handled;
    }

    /**
     * Returns the bits of the callout instruction the last {@link SystemExecutor#CALLOUT} stopped at.
     *
     * @return the instruction
     */
    public int calloutBits() {
        return calloutBits;
    }

    /** A block ran out of {@link Block#heat}: translate it, or stop counting when there is no translator. */
    private void becameHot(Block block, DecodedPage page) {
        if (translator == null || !translator.translate(block, page)) {
            block.heat = Integer.MAX_VALUE;
        }
    }

    /**
     * The hot loop: runs blocks, starting with instruction {@code index} of {@code insns} (a block that starts at
     * {@code pc}), or with the block at {@code pc} when {@code insns} is null, until something needs the driver.
     *
     * <p>Shaped for HotSpot's C2 compiler: it works on a copy of the registers in an array of its own
     * ({@link #registers}, indexed with masked register numbers); a block's body runs in {@link #runBody}, where each
     * instruction reads its two source registers, computes a result and writes it to its destination (x0 and stores
     * write the sink register), with no case sharing arithmetic with another (C2 computes shared subexpressions
     * before the dispatch), and RAM accesses inline (see {@link #primeJit}); the block's terminator is dispatched
     * here, in a separate switch; a block that branches to itself runs again at once, and linked successors in the
     * same page need no lookup.
     */
    private int fastRun(long pc, int retired, int budget, Insn[] insns, int index) {
        final long[] x = registers;
        // Register numbers are masked with the array's length minus one (a power of two), a form whose bounds checks
        // C2 reduces to one test that the length is not zero (with "& 63" it checked every access against a
        // length it does not know for a field's array): the interpreter alone on bench.elf 21.6 -> 20.9 s.
        final int mask = x.length - 1;
        System.arraycopy(state.x, 0, x, 0, 32);
        runTlb = mmu.dataTlb().data;
        runTlbBase = mmu.dataTlb().base;
        final Tlb fetchTlb = mmu.fetchTlb();
        int reason;
        run:
        while (true) {
            if (insns == null) {
                if ((pc >>> 12) != pageNumber) {
                    // Another code page: go on in it when the fetch TLB maps it (Linux's boot left this loop for
                    // the driver about once per 40 instructions here, mostly for calls into other pages).
                    DecodedPage next = fetchTlb.cachedFetchPage(pc);
                    if (next == null) {
                        reason = EXIT_LOOKUP;
                        break;
                    }
                    page = next;
                    pageBlocks = next.blocks();
                    pageNumber = pc >>> 12;
                }
                Block block = pageBlocks[(int) (pc >>> 1) & (DecodedPage.SLOTS - 1)];
                if (block == null || block.length > budget - retired || block.code != null
                        || (uncounted > 0 && block.covered ? --uncounted < 0 : --block.heat < 0)) {
                    // The driver decides: stop here, run part of the block, run or make its translation.
                    reason = EXIT_LOOKUP;
                    break;
                }
                insns = block.insns;
                index = 0;
            }
            // The body: every instruction before the terminator (or END marker).
            bodyPc = pc;
            int end = runBody(insns[index]);
            if (end < 0) {
                index = ~end;
                reason = EXIT_INSN;
                break;
            }
            final Insn t = insns[end];
            final long a = x[t.rs1 & mask];
            final long b = x[t.rs2 & mask];
            final long start = pc;
            switch (t.op) {
                case BEQ:
                    pc += a == b ? t.imm : t.aux;
                    break;
                case BNE:
                    pc += a != b ? t.imm : t.aux;
                    break;
                case BLT:
                    pc += a < b ? t.imm : t.aux;
                    break;
                case BGE:
                    pc += a >= b ? t.imm : t.aux;
                    break;
                case BLTU:
                    pc += a + Long.MIN_VALUE < b + Long.MIN_VALUE ? t.imm : t.aux;
                    break;
                case BGEU:
                    pc += a + Long.MIN_VALUE >= b + Long.MIN_VALUE ? t.imm : t.aux;
                    break;
                case JAL:
                    x[t.rd & mask] = pc + t.aux;
                    pc += t.imm;
                    break;
                case JALR:
                    x[t.rd & mask] = pc + t.aux;
                    pc = (a + t.imm) & ~1L;
                    break;
                case END:
                    retired--; // not an instruction
                    pc += t.offset;
                    break;
                default:
                    // Unreachable while runBody leaves these to the driver itself (SYSTEM, illegal and slow
                    // terminators, JALR that may need an alignment trap); should one reach here, the driver runs it.
                    index = end;
                    reason = EXIT_INSN;
                    break run;
            }
            retired += t.index + 1;
            index = 0;
            if (pc == start) {
                Block self = t.taken();
                if (t.index < budget - retired
                        && (self == null || self.code == null
                            && (uncounted > 0 && self.covered ? --uncounted >= 0 : --self.heat >= 0))) {
                    // A loop that is one block: run it again without looking it up (unless translated or now hot).
                    continue;
                }
            } else {
                // Go on with the successor when it is linked (decoded, in this page), else look it up.
                Block next = pc == start + t.aux ? t.fall() : t.taken();
                if (next != null && next.length <= budget - retired && next.code == null
                        && (uncounted > 0 && next.covered ? --uncounted >= 0 : --next.heat >= 0)) {
                    insns = next.insns;
                    continue;
                }
            }
            insns = null;
        }
        System.arraycopy(x, 0, state.x, 0, 32);
        runPc = pc;
        runRetired = retired;
        runInsns = insns;
        runIndex = index;
        return reason;
    }

    /**
     * Runs a block's body for {@link #fastRun}: its instructions from {@code i} up to the terminator (or END marker),
     * on {@link #registers}.
     *
     * <p>A method of its own, which C2 does not inline (too big; the vmm launcher also says so), so that it is compiled
     * with only its own state live: inside fastRun's loop, C2 spilled that loop's dozen values to the stack and
     * reloaded them around every instruction's dispatch. For the same reason it follows {@link Insn#next} rather than
     * an index into the block's array (no index, array or length to keep), and reads the data TLB, RAM and the block's
     * pc ({@link #bodyPc}, for AUIPC) from fields in the cases that need them. C2 then keeps the loop in registers, and
     * a call per block costs less than the spills did: bench.elf's first 10^9 instructions on the interpreter 5.0 ->
     * 4.1 s, Linux to init on the interpreter 0.44 -> 0.40 s, straight-line synthetic code 17-40% faster.
     *
     * @param i the first instruction to run (a body instruction, the terminator or the END marker)
     * @return the index of the terminator or END marker, or the complement ({@code ~index}) of the first instruction
     *         that needs the driver
     */
    private int runBody(Insn i) {
        final long[] x = registers;
        final int mask = x.length - 1;
        while (true) {
            final long a = x[i.rs1 & mask];
            final long b = x[i.rs2 & mask];
            long r;
            switch (i.op) {
                case MEM: {
                    // Every load and store; one case keeps their shared work out of the dispatch, and
                    // the displacement has a field of its own so that "a + disp" is not ADDI's sum.
                    long va = a + i.disp;
                    final long[] tlb = runTlb;
                    final GuestMemory ram = this.ram;
                    int entry = runTlbBase + Tlb.entry(va + i.span) + i.kind;
                    if (tlb[entry] != va >>> 12) {
                        return ~i.index;
                    }
                    long pa = va + tlb[entry + 1];
                    switch (i.sub) {
                        case MEM_LOAD:
                            r = ram.read64(pa) << i.aux >> i.aux;
                            break;
                        case MEM_LOADU:
                            r = ram.read64(pa) << i.aux >>> i.aux;
                            break;
                        case MEM_SB:
                            ram.write8(pa, (int) b);
                            r = 0;
                            break;
                        case MEM_SH:
                            ram.write16(pa, (int) b);
                            r = 0;
                            break;
                        case MEM_SW:
                            ram.write32(pa, (int) b);
                            r = 0;
                            break;
                        default:
                            ram.write64(pa, b);
                            r = 0;
                            break;
                    }
                    break;
                }
                case ADDI:
                    r = a + i.imm;
                    break;
                case LUI:
                    r = i.imm;
                    break;
                case AUIPC:
                    r = bodyPc + i.offset + i.imm;
                    break;
                case SLTI:
                    r = a < i.imm ? 1 : 0;
                    break;
                case SLTIU:
                    r = a + Long.MIN_VALUE < i.imm + Long.MIN_VALUE ? 1 : 0;
                    break;
                case XORI:
                    r = a ^ i.imm;
                    break;
                case ORI:
                    r = a | i.imm;
                    break;
                case ANDI:
                    r = a & i.imm;
                    break;
                case SLLI:
                    r = a << i.imm;
                    break;
                case SRLI:
                    r = a >>> i.imm;
                    break;
                case SRAI:
                    r = a >> i.imm;
                    break;
                case ADD:
                    r = a + b;
                    break;
                case SUB:
                    r = a - b;
                    break;
                case SLL:
                    r = a << b;
                    break;
                case SLT:
                    r = a < b ? 1 : 0;
                    break;
                case SLTU:
                    r = (a ^ Long.MIN_VALUE) < (b ^ Long.MIN_VALUE) ? 1 : 0; // not SLTIU's a + MIN_VALUE
                    break;
                case XOR:
                    r = a ^ b;
                    break;
                case SRL:
                    r = a >>> b;
                    break;
                case SRA:
                    r = a >> b;
                    break;
                case OR:
                    r = a | b;
                    break;
                case AND:
                    r = a & b;
                    break;
                case ADDIW:
                    r = (int) a + i.imm;
                    break;
                case SLLIW:
                    r = (int) a << i.imm;
                    break;
                case SRLIW:
                    r = (int) a >>> i.imm;
                    break;
                case SRAIW:
                    r = (int) a >> i.imm;
                    break;
                case ADDW:
                    r = (int) a + (int) b;
                    break;
                case SUBW:
                    r = (int) a - (int) b;
                    break;
                case SLLW:
                    r = (int) a << (int) b;
                    break;
                case SRLW:
                    r = (int) a >>> (int) b;
                    break;
                case SRAW:
                    r = (int) a >> (int) b;
                    break;
                case MULW:
                    r = (int) a * (int) b;
                    break;
                case MUL:
                    r = a * b;
                    break;
                case MULHX: {
                    // Written out (a call would cost the loop its registers), with subexpressions no other
                    // case computes (the JIT hoists shared ones into the dispatch), and without branches on
                    // the variant (selector 0 MULH, 1 MULHSU, 2 MULHU): C2 compiles a branch its profile
                    // never saw taken as a trap, and a guest that turns to another variant later would
                    // throw the whole hot loop's compiled code away.
                    int selector = i.sub;
                    long bUnsigned = -(long) ((selector + 1) >> 1); // MULHSU and MULHU: b unsigned
                    long aUnsigned = -(long) (selector >> 1); // MULHU: a unsigned too
                    r = Math.multiplyHigh(a, b) + ((b >> 63) & a & bUnsigned) + ((a >> 63) & b & aUnsigned);
                    break;
                }
                case DIVX:
                    // A call: written out, its branches on the variant and the divisor made C2 throw the
                    // hot loop's code away whenever a guest turned to another kind of division (three
                    // times on the way to Linux's init, each costing a recompilation of this method and
                    // the time it ran uncompiled meanwhile). C2 does not inline it at this rarely taken
                    // site (LogCompilation on that boot: "too big"; fastRun compiled once instead of four
                    // times); where divisions are hot it may, and divide()'s own profile then decides.
                    r = divide(i.sub, a, b);
                    break;
                case BITMANIP:
                    // Zba, Zbb, Zbc, Zbs, Zbkb, Zbkc, Zbkx, Zicond: a call, as DIVX's (one case for fifty
                    // operations keeps the loop's size).
                    r = BitManipulation.compute(i.imm, a, b);
                    break;
                case CRYPTO:
                    // Zknd, Zkne, Zknh, Zksed, Zksh: likewise.
                    r = ScalarCrypto.compute(i.imm, a, b);
                    break;
                case FENCE:
                    // Harts share one coherent memory under the JVM's rules; FENCE orders nothing more.
                    r = 0;
                    break;
                case BEQ:
                case BNE:
                case BLT:
                case BGE:
                case BLTU:
                case BGEU:
                case JAL:
                case JALR:
                case END:
                    return i.index;
                case FLOAT:
                    // F/D arithmetic that cannot trap runs here (FP-heavy loops left the loop per instruction: 4x
                    // slower), and so do FP loads and stores that hit the TLB, as MEM's do, when FS is on; anything
                    // else goes to the driver like any instruction that may trap.
                    if (floatStep(i, a)) {
                        i = i.next;
                        continue;
                    }
                    return ~i.index;
                default:
                    // Atomics, F/D loads and stores, and terminators that need the driver (SYSTEM, illegal,
                    // misaligned targets).
                    return ~i.index;
            }
            x[i.rd & mask] = r;
            i = i.next;
        }
    }

    /**
     * An F/D instruction in the hot loop, when it cannot trap: a computation ({@link FloatExecutor#tryCompute}), or an
     * FP load or store ({@link Opcodes#FLOAT_LW} ...) whose page is in the TLB, as MEM's fast path does, with FS on.
     * Otherwise nothing, for the driver's slow path. (One call from runBody, whose size its integer speed feels.)
     */
    private boolean floatStep(Insn i, long base) {
        if (i.sub == 0) {
            return floats.tryCompute(registers, (int) i.imm);
        }
        long va = base + i.aux;
        int entry = runTlbBase + Tlb.entry(va + i.span) + i.kind;
        return runTlb[entry] == va >>> 12 && floats.transfer(i.sub, i.rs2, ram, va + runTlb[entry + 1]);
    }

    /**
     * A body instruction outside the hot loop: loads and stores that missed the TLB fast path (misses, device
     * windows, code pages, accesses near or across a page end), atomics, F/D loads and stores and F/D
     * instructions that must trap (which the hot loop leaves here, so integer code pays nothing for them), and the
     * instructions of a block that runs partially.
     */
    private void slow(long[] x, Insn i, long pc) {
        long a = x[i.rs1];
        long b = x[i.rs2];
        long r;
        switch (i.raw) {
            case LB -> r = (byte) mmu.load8(a + i.imm);
            case LH -> r = (short) mmu.load16(a + i.imm);
            case LW -> r = mmu.load32(a + i.imm);
            case LD -> r = mmu.load64(a + i.imm);
            case LBU -> r = mmu.load8(a + i.imm);
            case LHU -> r = mmu.load16(a + i.imm);
            case LWU -> r = mmu.load32(a + i.imm) & 0xffff_ffffL;
            case SB -> {
                mmu.store8(a + i.imm, (int) b);
                return;
            }
            case SH -> {
                mmu.store16(a + i.imm, (int) b);
                return;
            }
            case SW -> {
                mmu.store32(a + i.imm, (int) b);
                return;
            }
            case SD -> {
                mmu.store64(a + i.imm, b);
                return;
            }
            case AMO -> {
                atomics.execute(x, i.rd, i.rs1, i.rs2, i.imm);
                return;
            }
            case FLOAT -> {
                floats.execute(x, i.imm);
                return;
            }
            case LUI -> r = i.imm;
            case AUIPC -> r = pc + i.offset + i.imm;
            case ADDI -> r = a + i.imm;
            case SLTI -> r = a < i.imm ? 1 : 0;
            case SLTIU -> r = Long.compareUnsigned(a, i.imm) < 0 ? 1 : 0;
            case XORI -> r = a ^ i.imm;
            case ORI -> r = a | i.imm;
            case ANDI -> r = a & i.imm;
            case SLLI -> r = a << i.imm;
            case SRLI -> r = a >>> i.imm;
            case SRAI -> r = a >> i.imm;
            case ADD -> r = a + b;
            case SUB -> r = a - b;
            case SLL -> r = a << b;
            case SLT -> r = a < b ? 1 : 0;
            case SLTU -> r = Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case XOR -> r = a ^ b;
            case SRL -> r = a >>> b;
            case SRA -> r = a >> b;
            case OR -> r = a | b;
            case AND -> r = a & b;
            case ADDIW -> r = (int) a + i.imm;
            case SLLIW -> r = (int) a << i.imm;
            case SRLIW -> r = (int) a >>> i.imm;
            case SRAIW -> r = (int) a >> i.imm;
            case ADDW -> r = (int) a + (int) b;
            case SUBW -> r = (int) a - (int) b;
            case SLLW -> r = (int) a << (int) b;
            case SRLW -> r = (int) a >>> (int) b;
            case SRAW -> r = (int) a >> (int) b;
            case MUL -> r = a * b;
            case MULW -> r = (int) a * (int) b;
            case MULH, MULHSU, MULHU -> r = multiplyHigh(i.raw - MULH, a, b);
            case DIV, DIVU, REM, REMU -> r = divide(i.raw - DIV, a, b);
            case DIVW, DIVUW, REMW, REMUW -> r = divide(4 + i.raw - DIVW, a, b);
            case FENCE -> r = 0; // nothing to order, as in the hot loop
            case BITMANIP -> r = BitManipulation.compute(i.imm, a, b);
            case CRYPTO -> r = ScalarCrypto.compute(i.imm, a, b);
            default -> throw new IllegalStateException("not a body operation: " + i.raw);
        }
        x[i.rd] = r;
    }

    /** MULH, MULHSU, MULHU (selector 0, 1, 2). */
    private static long multiplyHigh(int selector, long a, long b) {
        long high = Math.multiplyHigh(a, b);
        if (selector != 0) {
            high += (b >> 63) & a; // MULHSU and MULHU: b unsigned
            if (selector == 2) {
                high += (a >> 63) & b; // MULHU: a unsigned too
            }
        }
        return high;
    }

    /** DIV, DIVU, REM, REMU, DIVW, DIVUW, REMW, REMUW (selector 0 to 7); division by zero and overflow as specified. */
    private static long divide(int selector, long a, long b) {
        if (selector >= 4) {
            int x = (int) a;
            int y = (int) b;
            if (y == 0) {
                return selector == 4 || selector == 5 ? -1 : x;
            }
            return switch (selector) {
                case 4 -> x / y; // Integer.MIN_VALUE / -1 wraps in Java as RISC-V specifies
                case 5 -> (int) ((x & 0xffff_ffffL) / (y & 0xffff_ffffL));
                case 6 -> x % y;
                default -> (int) ((x & 0xffff_ffffL) % (y & 0xffff_ffffL));
            };
        }
        if (b == 0) {
            return selector < 2 ? -1 : a;
        }
        return switch (selector) {
            case 0 -> a / b;
            case 1 -> Long.divideUnsigned(a, b);
            case 2 -> a % b;
            default -> Long.remainderUnsigned(a, b);
        };
    }

    /**
     * A branch, jump or illegal instruction outside the hot loop: a jump whose target may be misaligned (without
     * the C extension), or an illegal encoding.
     *
     * @return the next pc
     */
    private long terminator(long[] x, Insn i, long pc) {
        long a = x[i.rs1];
        long b = x[i.rs2];
        boolean taken = switch (i.raw) {
            case BEQ -> a == b;
            case BNE -> a != b;
            case BLT -> a < b;
            case BGE -> a >= b;
            case BLTU -> Long.compareUnsigned(a, b) < 0;
            case BGEU -> Long.compareUnsigned(a, b) >= 0;
            case JAL, JALR -> true;
            case ILLEGAL -> throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, i.imm & 0xffff_ffffL);
            default -> throw new IllegalStateException("not a terminator: " + i.raw);
        };
        long fallThrough = pc + i.aux;
        if (!taken) {
            return fallThrough;
        }
        long target = i.raw == JALR ? (a + i.imm) & ~1L : pc + i.imm;
        if ((target & misalignedTargetMask) != 0) {
            throw trap.raise(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, target);
        }
        if (i.raw == JAL || i.raw == JALR) {
            x[i.rd] = fallThrough;
        }
        return target;
    }

    /**
     * Decodes the block that starts at {@code pc} and stores it in its page. An instruction that crosses into
     * the next page gets a block of its own that is not stored (it is decoded on every execution, through the
     * next page's current translation).
     */
    private Block build(DecodedPage page, long pc) {
        int start = (int) (pc >>> 1) & (DecodedPage.SLOTS - 1);
        long base = page.physicalBase();
        boolean compressed = decoder.compressed();
        int first = ram.read16(base + ((long) start << 1));
        if ((first & 3) == 3 && start == DecodedPage.SLOTS - 1) {
            int high = mmu.fetchParcel(pc + 2);
            Block crossing = new Block(new long[] {decoder.decode(first | high << 16)}, new int[] {0, 4}, 1, start,
                    compressed);
            crossing.heat = Integer.MAX_VALUE; // decoded anew each time: not worth translating
            return crossing;
        }
        long[] decoded = decodeBuffer;
        int[] offsets = offsetBuffer;
        int count = 0;
        int slot = start;
        while (count < Block.MAX_INSTRUCTIONS && slot < DecodedPage.SLOTS) {
            long address = base + ((long) slot << 1);
            int parcel = ram.read16(address);
            long instruction;
            int parcels;
            if ((parcel & 3) != 3) {
                instruction = decoder.decodeCompressed(parcel);
                parcels = 1;
            } else if (slot == DecodedPage.SLOTS - 1) {
                break; // crosses the page: left to a block of its own
            } else {
                instruction = decoder.decode(ram.read32(address));
                parcels = 2;
            }
            offsets[count] = (slot - start) << 1;
            decoded[count++] = instruction;
            slot += parcels;
            if (Block.endsBlock(Opcodes.op((int) instruction))) {
                break;
            }
        }
        offsets[count] = (slot - start) << 1;
        Block block = new Block(decoded, offsets, count, start, compressed);
        if (translator == null) {
            block.heat = Integer.MAX_VALUE;
        } else {
            translator.arm(block);
        }
        page.store(block);
        return block;
    }
}
