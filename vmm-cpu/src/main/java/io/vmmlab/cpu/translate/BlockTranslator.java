package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.ArrayBackedMemory;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.HostUnsafe;
import io.vmmlab.api.memory.OffHeapMemory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.exec.FloatExecutor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns hot blocks into JVM code: selects a region around the block ({@link RegionSelector}), generates its class
 * ({@link CodeGenerator}), defines it as a hidden class ({@link MethodHandles.Lookup#defineHiddenClass}, not
 * strongly bound to a class loader, so unreachable translations are unloaded) and keeps it in a bounded
 * {@link TranslationCache}. The interpreter counts a block's executions ({@link Block#heat}) towards the hot
 * threshold this translator sets and adapts ({@link TranslationPayoff}), and runs the code; invalidation is the
 * decoded blocks' own (a write to a page drops the translations of its blocks, FENCE.I drops the pages).
 *
 * <p>The region is chosen on the hart's thread; generating and defining its class, the costly part, runs on the
 * configured builder ({@link TranslatorConfig#builder}), which may be another thread: it reads only the members'
 * immutable instructions. The hart attaches finished code itself ({@link #attachFinished}), and only if the page
 * has dropped no block since the region was chosen ({@link DecodedPage#generation}); otherwise the block may
 * become hot again. With a builder on another thread, when code arrives depends on host timing, and so do which
 * blocks get hot next and the regions counter; deterministic runs build on the hart's thread.
 */
public final class BlockTranslator {
    // HotSpot does not compile methods of more than 8000 bytes of bytecode (HugeMethodLimit); keep clear of it.
    private static final int MAX_CLASS_BYTES = 7600;
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Block[].class);
    // Between probes of regions waiting to be compiled; the most regions one builder task builds before it waits.
    private static final long PROBE_INTERVAL_NANOS = 500_000;
    private static final int BATCH = 16;
    /** Block length (instructions) above which a block's executions count for more (see {@link #executions}). */
    static final int LENGTH_UNIT = 16;

    // Whether this JVM lets translated code use UnsafeRamAccess and OffHeapRamAccess (decided once; see HostUnsafe).
    private static final boolean UNSAFE_USABLE = HostUnsafe.usable();

    private final List<Object> classData;
    private final AddressRange ram;
    private final boolean unchecked;
    private final long hostAddress;
    private final boolean floats;
    private final int tlbLength;
    private final TranslationPayoff payoff;
    private final TranslationCache cache;
    private final Counter translations;
    private final Counter translatedInstructions;
    private final Executor builder;
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

    /**
     * A region chosen on the hart's thread, to build (number: the request's, {@link TranslationPayoff#requested};
     * asked: {@link RegionLog#now}).
     */
    private record Request(long number, Block block, DecodedPage page, int generation, Block[] members,
                           long physicalPc, long askedNanos) {
    }

    /**
     * A built region on its way back to the hart (or why it could not be built), and when the builder started on it
     * and had defined its class ({@link RegionLog#now}).
     */
    private record Finished(Request request, TranslatedCode code, RuntimeException failure, long startedNanos,
                            long builtNanos) {
    }

    /** A built region waiting until HotSpot has compiled it. */
    private record Compiling(Finished region, WarmUp warmUp) {
    }

    /**
     * Creates a translator.
     *
     * @param config threshold and cache size
     * @param ram the hart's RAM; translated code reads and writes its host array ({@link ArrayBackedMemory}) or its
     *            block outside the heap ({@link OffHeapMemory}) directly, so other RAM is never translated (it runs on
     *            the interpreter), nor is RAM outside the heap where the accessors cannot cover its block
     * @param tlbData the array of the hart's TLBs ({@code Mmu.tlbData}), which translated code reads directly
     * @param translations counts regions translated
     * @param translatedInstructions counts instructions the hart retired in translated code
     * @param floats the hart's floating-point executor, whose registers and state translated code uses (its F and D
     *               instructions are translated too); null on a hart without F
     */
    public BlockTranslator(TranslatorConfig config, GuestMemory ram, long[] tlbData, Counter translations,
                           Counter translatedInstructions, FloatExecutor floats) {
        Objects.requireNonNull(ram, "ram is null");
        this.floats = floats != null;
        this.ram = ram.range();
        int mask = MemoryEmitter.indexMask(this.ram.size());
        if (ram instanceof ArrayBackedMemory array) {
            byte[] host = array.array();
            this.classData = Collections.unmodifiableList(Arrays.asList(host, tlbData, floats)); // floats: maybe null
            // The unchecked accessors only where the very array translated code gets covers every masked index.
            this.unchecked = UnsafeRamAccess.covers(UNSAFE_USABLE, host.length, mask);
            this.hostAddress = 0;
        } else if (ram instanceof OffHeapMemory offHeap
                && OffHeapRamAccess.covers(UNSAFE_USABLE, offHeap.hostLength(), mask)) {
            // The RAM object too: its block lives as long as it does, and the classes keep the address.
            this.classData = Collections.unmodifiableList(Arrays.asList(new byte[0], tlbData, floats, offHeap));
            this.unchecked = true;
            this.hostAddress = offHeap.hostAddress();
        } else {
            this.classData = null;
            this.unchecked = false;
            this.hostAddress = 0;
        }
        this.tlbLength = tlbData.length;
        this.cache = new TranslationCache(config.cacheCapacity());
        this.translations = Objects.requireNonNull(translations, "translations is null");
        this.translatedInstructions = Objects.requireNonNull(translatedInstructions, "translatedInstructions is null");
        this.payoff = new TranslationPayoff(config.hotThreshold(), this.translatedInstructions);
        this.builder = config.builder();
        if (classData != null) {
            PlaceholderCode.load(); // before the first region's class
        }
    }

    /**
     * Sets a block's heat to count towards the current hot threshold ({@link TranslationPayoff}); the interpreter
     * calls this when it decodes a block.
     *
     * @param block the block
     */
    public void arm(Block block) {
        block.heat = executions(block, payoff.base());
        block.heatTarget = payoff.base();
    }

    /**
     * The executions of a block that count as {@code count} towards the hot threshold: as many for a block of at most
     * {@link #LENGTH_UNIT} instructions, proportionally fewer for a longer one (at least one, unless {@code count} is
     * 0), so that a block runs the same number of instructions before it is translated, whatever its length above
     * that. Straight-line code is split into blocks of 64 instructions, each run once per pass: a BLAKE2s compression
     * (2,600 instructions) ran 4,000 times, some 180 ms of a JVM's first second on the interpreter, before its blocks
     * were asked for; now 1,000 (bench-wide.elf 2.17 -> 2.03 s and 1.90 -> 1.77 s in interleaved rounds, at four times
     * its length 3.64 -> 3.30 s; Linux's boot and bench.elf no worse: their hot blocks are short).
     */
    static int executions(Block block, int count) {
        if (block.length <= LENGTH_UNIT) {
            return count;
        }
        return (int) (((long) count * LENGTH_UNIT + block.length - 1) / block.length);
    }

    /** Tells whether translated code reaches this RAM unchecked ({@link UnsafeRamAccess}, {@link OffHeapRamAccess}). */
    boolean uncheckedRamAccess() {
        return unchecked;
    }

    /**
     * Counts instructions the hart retired in a region (it calls this after each run of one) in
     * {@code translator.instructions}, which the hot threshold ({@link TranslationPayoff}) reads. The region has
     * counted them itself as it returned ({@link TranslatedCode#countRun}).
     *
     * @param instructions the run's instructions
     */
    public void ranTranslated(int instructions) {
        translatedInstructions.add(instructions);
    }

    /** Returns the translation cache. */
    public TranslationCache cache() {
        return cache;
    }

    /**
     * Translates the region that starts with a hot block: chooses it now, builds its code on the builder and
     * attaches it to the block when finished (at once with {@link TranslatorConfig#ON_THE_HART}). Until then the
     * block's heat is {@link Integer#MAX_VALUE}, so that it is not requested twice, and the region's other blocks are
     * claimed ({@link Block#claims}): one of them that gets hot meanwhile is counted again rather than translated.
     * Blocks of an attached region are marked {@link Block#covered}. A block whose heat ran out while the threshold
     * has risen above what it counted towards ({@link Block#heatTarget}) counts on instead, in steps of the base, so
     * that a fall of the threshold meanwhile takes effect at the next step; one whose heat is armed anew (a region
     * on its way includes it, or its region was discarded) counts from the base again.
     *
     * @param block a decoded block, stored in its page
     * @param page the block's page (with the block's offset, its physical address names the class, for profilers)
     * @return false when the block starts with an instruction the translator leaves to the interpreter, or the RAM
     *         has no host array
     */
    public boolean translate(Block block, DecodedPage page) {
        if (classData == null || !CodeGenerator.translatable(block.insns[0], floats)) {
            return false;
        }
        int threshold = payoff.threshold();
        if (block.heatTarget < threshold) {
            int step = Math.min(threshold - block.heatTarget, payoff.base());
            block.heat = executions(block, step);
            block.heatTarget += step;
            return true;
        }
        if (block.claims > 0) {
            arm(block); // a region on its way includes it: count again once that one is attached
            return true;
        }
        Block[] members = RegionSelector.select(block, RegionSelector.MAX_MEMBERS);
        for (int i = 1; i < members.length; i++) {
            members[i].claims++;
        }
        long physicalPc = page.physicalBase() + (block.startSlot << 1);
        int generation = page.generation();
        block.heat = Integer.MAX_VALUE;
        block.regionRequested = true;
        translations.increment();
        RegionLog.asked(physicalPc, members.length, threshold);
        requests.add(new Request(payoff.requested(), block, page, generation, members, physicalPc, RegionLog.now()));
        builder.execute(this::buildRequested);
        attach();
        return true;
    }

    /**
     * Attaches the code built since the last call to its entry blocks (the hart calls this between runs); code
     * whose page has dropped blocks since its region was chosen is discarded, and its block may become hot again.
     * Adapts the hot threshold, too ({@link TranslationPayoff}).
     *
     * @param instret the hart's retired-instruction count now
     * @throws IllegalStateException when the JVM rejected generated code (a translator bug), or building a region
     *                               failed with an Error (out of memory); the region's request is settled first
     */
    public void attachFinished(long instret) {
        payoff.judge(instret);
        attach();
    }

    /** Attaches the code built since the last call (see {@link #attachFinished}). */
    private void attach() {
        Finished done;
        while ((done = finished.poll()) != null) {
            Request request = done.request();
            Block[] members = request.members();
            for (int i = 1; i < members.length; i++) {
                members[i].claims--;
            }
            Block block = request.block();
            block.regionRequested = false;
            payoff.settled(request.number());
            if (done.failure() != null) {
                throw done.failure();
            }
            if (request.page().generation() == request.generation() && block.code == null) {
                TranslatedCode code = done.code();
                for (int i = 1; i < code.memberCount(); i++) {
                    code.member(i).covered = true;
                }
                cache.add(block, code);
                payoff.attached(code);
                RegionLog.attached(request.physicalPc(), code.memberCount(), members.length, request.askedNanos(),
                        done.startedNanos(), done.builtNanos());
            } else if (block.code == null) {
                arm(block);
            }
        }
    }

    /**
     * Builds the requested regions (on the builder). A builder on another thread hands each over once HotSpot has
     * compiled it ({@link WarmUp}); it builds the regions requested meanwhile (up to {@link #BATCH}) before it waits,
     * so that regions asked for together (a hot function's) are compiled one after another rather than each waiting
     * for the last to be built and compiled (bench.elf's bursts of ten regions took up to 55 ms to arrive). The
     * bound keeps one hart from holding the builder, which all harts share, for longer than that.
     */
    private void buildRequested() {
        boolean waits = builder != TranslatorConfig.ON_THE_HART;
        List<Compiling> compiling = new ArrayList<>();
        Finished current = null; // taken from the requests or the waiting list, not yet queued for the hart
        try {
            int built = 0;
            while (true) {
                Request request;
                while (built < BATCH && (request = requests.poll()) != null) {
                    built++;
                    current = build(request);
                    if (current.code() != null) {
                        try {
                            WarmUp warmUp = new WarmUp(current.code());
                            if (waits) {
                                compiling.add(new Compiling(current, warmUp));
                                current = null;
                                continue;
                            }
                        } catch (RuntimeException | Error e) {
                            current = failed(current, e);
                        }
                    }
                    finished.add(current);
                    current = null;
                }
                for (Iterator<Compiling> waiting = compiling.iterator(); waiting.hasNext(); ) {
                    current = handOver(waiting.next());
                    if (current != null) {
                        waiting.remove();
                        finished.add(current);
                        current = null;
                    }
                }
                if (compiling.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(PROBE_INTERVAL_NANOS); // leave the CPU to the JIT compiler
            }
        } catch (RuntimeException | Error e) {
            // Anything else that failed on the builder (out of memory while queueing a region): every region this task
            // holds goes back to its hart as failed (the hart's run then ends with that error), so that none stays
            // counted as out with the builder's thread gone.
            if (current != null) {
                finished.add(failed(current, e));
            }
            for (Compiling waiting : compiling) {
                finished.add(failed(waiting.region(), e));
            }
        }
    }

    /** The region to hand over when its wait is over (or as a failure when its probe runs fail), else null. */
    private static Finished handOver(Compiling waiting) {
        try {
            return waiting.warmUp().done() ? waiting.region() : null;
        } catch (RuntimeException | Error e) {
            return failed(waiting.region(), e);
        }
    }

    /** The region, as one whose generated code failed its first runs (a translator bug, reported on the hart). */
    private static Finished failed(Finished region, Throwable e) {
        return new Finished(region.request(), null,
                new IllegalStateException("generated code for a block failed its first runs: " + e, e),
                region.startedNanos(), region.builtNanos());
    }

    /** Generates and defines a region's class; a smaller region (a prefix of the members) if it is too big. */
    private Finished build(Request request) {
        long started = RegionLog.now();
        try {
            Block[] region = request.members();
            while (true) {
                byte[] classFile = CodeGenerator.generate(region, ram, tlbLength, request.physicalPc(), unchecked,
                        hostAddress, floats);
                if (classFile.length <= MAX_CLASS_BYTES || region.length == 1) {
                    TranslatedCode code = define(classFile, region);
                    return new Finished(request, code, null, started, RegionLog.now());
                }
                region = Arrays.copyOf(region, region.length / 2); // members come in selection order: still linked
            }
        } catch (RuntimeException e) {
            return new Finished(request, null, e, started, RegionLog.now());
        } catch (Error e) {
            // Out of memory, a stack overflow: the hart reports it (attach), and the request is settled there, where
            // an Error on the builder's thread would have killed that thread with the region still counted as out.
            return new Finished(request, null, new IllegalStateException("translating a block failed: " + e, e),
                    started, RegionLog.now());
        }
    }

    private TranslatedCode define(byte[] classFile, Block[] members) {
        try {
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(classFile, classData, true);
            MethodHandle constructor = hidden.findConstructor(hidden.lookupClass(), CONSTRUCTOR);
            return (TranslatedCode) constructor.invoke(members);
        } catch (Throwable e) {
            throw new IllegalStateException("generated code for a block was rejected: " + e, e);
        }
    }
}
