package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.ArrayBackedMemory;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.DecodedPage;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
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
 * {@link TranslationCache}. The interpreter decides when a block is hot ({@link Block#heat}) and runs
 * the code; invalidation is the decoded blocks' own (a write to a page drops the translations of its blocks,
 * FENCE.I drops the pages).
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
    // Above HotSpot's Tier3InvocationThreshold (200), so that the JIT queues the method for compilation.
    private static final int WARM_UP_RUNS = 256;
    // Waiting for the compiled code (background builder only): runs per probe, how fast a compiled zero-budget run
    // is at most (an interpreted one takes some hundreds of nanoseconds), the pause between probes, the most time
    // to wait and the most runs in all (HotSpot's C2 threshold is 5000 invocations).
    private static final int PROBE_RUNS = 16;
    private static final long COMPILED_RUN_NANOS = 60;
    private static final long PROBE_INTERVAL_NANOS = 500_000;
    private static final long COMPILE_WAIT_NANOS = 50_000_000;
    private static final int MAX_WARM_UP_RUNS = 1500;
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Block[].class);

    private final List<Object> classData;
    private final long ramBase;
    private final int tlbLength;
    private final int hotThreshold;
    private final TranslationCache cache;
    private final Counter translations;
    private final Executor builder;
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

    /** A built region on its way back to the hart (or why it could not be built). */
    private record Finished(Block block, DecodedPage page, int generation, TranslatedCode code,
                            RuntimeException failure) {
    }

    /**
     * Creates a translator.
     *
     * @param config threshold and cache size
     * @param ram the hart's RAM; translated code reads and writes its host array directly, so RAM that is not an
     *            {@link ArrayBackedMemory} is never translated (it runs on the interpreter)
     * @param tlbData the array of the hart's TLBs ({@code Mmu.tlbData}), which translated code reads directly
     * @param translations counts regions translated
     */
    public BlockTranslator(TranslatorConfig config, GuestMemory ram, long[] tlbData, Counter translations) {
        Objects.requireNonNull(ram, "ram is null");
        this.classData = ram instanceof ArrayBackedMemory array ? List.of(array.array(), tlbData) : null;
        this.ramBase = ram.range().base();
        this.tlbLength = tlbData.length;
        this.hotThreshold = config.hotThreshold();
        this.cache = new TranslationCache(config.cacheCapacity());
        this.translations = Objects.requireNonNull(translations, "translations is null");
        this.builder = config.builder();
    }

    /** Returns the executions of a new block before it is translated ({@link Block#heat}). */
    public int hotThreshold() {
        return hotThreshold;
    }

    /** Returns the translation cache. */
    public TranslationCache cache() {
        return cache;
    }

    /**
     * Translates the region that starts with a hot block: chooses it now, builds its code on the builder and
     * attaches it to the block when finished (at once with {@link TranslatorConfig#ON_THE_HART}). Until then the
     * block's heat is {@link Integer#MAX_VALUE}, so that it is not requested twice.
     *
     * @param block a decoded block, stored in its page
     * @param page the block's page
     * @param physicalPc the block's physical address (it names the class, for profilers; the code does not use it)
     * @return false when the block starts with an instruction the translator leaves to the interpreter, or the RAM
     *         has no host array
     */
    public boolean translate(Block block, DecodedPage page, long physicalPc) {
        if (classData == null || !CodeGenerator.translatable(block.insns[0])) {
            return false;
        }
        Block[] members = RegionSelector.select(block, RegionSelector.MAX_MEMBERS);
        int generation = page.generation();
        block.heat = Integer.MAX_VALUE;
        translations.increment();
        builder.execute(() -> finished.add(build(block, page, generation, members, physicalPc)));
        attachFinished();
        return true;
    }

    /**
     * Attaches the code built since the last call to its entry blocks (the hart calls this between runs); code
     * whose page has dropped blocks since its region was chosen is discarded, and its block may become hot again.
     *
     * @throws IllegalStateException when the JVM rejected generated code (a translator bug)
     */
    public void attachFinished() {
        Finished done;
        while ((done = finished.poll()) != null) {
            if (done.failure() != null) {
                throw done.failure();
            }
            Block block = done.block();
            if (done.page().generation() == done.generation() && block.code == null) {
                cache.add(block, done.code());
            } else if (block.code == null) {
                block.heat = hotThreshold;
            }
        }
    }

    /** Generates and defines a region's class; a smaller region (a prefix of the members) if it is too big. */
    private Finished build(Block block, DecodedPage page, int generation, Block[] members, long physicalPc) {
        try {
            Block[] region = members;
            while (true) {
                byte[] classFile = CodeGenerator.generate(region, ramBase, tlbLength, physicalPc);
                if (classFile.length <= MAX_CLASS_BYTES || region.length == 1) {
                    return new Finished(block, page, generation, define(classFile, region), null);
                }
                region = Arrays.copyOf(region, region.length / 2); // members come in selection order: still linked
            }
        } catch (RuntimeException e) {
            return new Finished(block, page, generation, null, e);
        }
    }

    /**
     * Runs new code with no budget, which returns at once without touching anything (the region's first check), a
     * few hundred times: that is what makes HotSpot compile a method, so the region's first real runs (each up to a
     * whole slice of guest instructions) execute compiled code instead of the JVM's bytecode interpreter. Built in
     * the background, the code is also held back until such a run is fast, that is, compiled (or a time limit
     * passes): the hart meanwhile runs the block on the interpreter's compiled hot loop, much faster than the JVM
     * would run the region's bytecode. The runs stay well below the count at which HotSpot would compile the
     * method again with C2, whose profile must come from real runs.
     */
    private void warmUp(TranslatedCode code) {
        long[] registers = new long[64];
        RegionExit exit = new RegionExit();
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            code.run(registers, 0, 0, 0, 0, exit);
        }
        if (builder == TranslatorConfig.ON_THE_HART) {
            return; // waiting would stall the hart
        }
        long deadline = System.nanoTime() + COMPILE_WAIT_NANOS;
        for (int runs = WARM_UP_RUNS; runs < MAX_WARM_UP_RUNS && System.nanoTime() < deadline; runs += PROBE_RUNS) {
            long start = System.nanoTime();
            for (int i = 0; i < PROBE_RUNS; i++) {
                code.run(registers, 0, 0, 0, 0, exit);
            }
            if (System.nanoTime() - start < PROBE_RUNS * COMPILED_RUN_NANOS) {
                return;
            }
            LockSupport.parkNanos(PROBE_INTERVAL_NANOS); // leave the CPU to the JIT compiler
        }
    }

    private TranslatedCode define(byte[] classFile, Block[] members) {
        try {
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(classFile, classData, true);
            MethodHandle constructor = hidden.findConstructor(hidden.lookupClass(), CONSTRUCTOR);
            TranslatedCode code = (TranslatedCode) constructor.invoke(members);
            warmUp(code);
            return code;
        } catch (Throwable e) {
            throw new IllegalStateException("generated code for a block was rejected: " + e, e);
        }
    }
}
