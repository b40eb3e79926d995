package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.ArrayBackedMemory;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.decode.Block;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;

/**
 * Turns hot blocks into JVM code: selects a region around the block ({@link RegionSelector}), generates its class
 * ({@link CodeGenerator}), defines it as a hidden class ({@link MethodHandles.Lookup#defineHiddenClass}, not
 * strongly bound to a class loader, so unreachable translations are unloaded) and keeps it in a bounded
 * {@link TranslationCache}. The interpreter decides when a block is hot ({@link Block#heat}) and runs
 * the code; invalidation is the decoded blocks' own (a write to a page drops the translations of its blocks,
 * FENCE.I drops the pages).
 */
public final class BlockTranslator {
    // HotSpot does not compile methods of more than 8000 bytes of bytecode (HugeMethodLimit); keep clear of it.
    private static final int MAX_CLASS_BYTES = 7600;
    // Above HotSpot's Tier3InvocationThreshold (200), so that the JIT queues the method for compilation.
    private static final int WARM_UP_RUNS = 256;
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Block[].class);

    private final List<Object> classData;
    private final long ramBase;
    private final int tlbLength;
    private final int hotThreshold;
    private final TranslationCache cache;
    private final Counter translations;
    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

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
     * Translates the region that starts with a hot block and attaches the code to the block.
     *
     * @param block a decoded block, stored in its page
     * @param physicalPc the block's physical address (it names the class, for profilers; the code does not use it)
     * @return false when the block starts with an instruction the translator leaves to the interpreter, or the RAM
     *         has no host array
     */
    public boolean translate(Block block, long physicalPc) {
        if (classData == null || !CodeGenerator.translatable(block.insns[0])) {
            return false;
        }
        int maxMembers = RegionSelector.MAX_MEMBERS;
        while (true) {
            Block[] members = RegionSelector.select(block, maxMembers);
            byte[] classFile = CodeGenerator.generate(members, ramBase, tlbLength, physicalPc);
            if (classFile.length <= MAX_CLASS_BYTES || members.length == 1) {
                cache.add(block, define(classFile, members));
                translations.increment();
                return true;
            }
            maxMembers = members.length / 2;
        }
    }

    /**
     * Runs new code with no budget, which returns at once without touching anything (the region's first check), a
     * few hundred times: that is what makes HotSpot compile a method, so the region's first real runs (each up to a
     * whole slice of guest instructions) execute compiled code instead of the JVM's bytecode interpreter.
     */
    private static void warmUp(TranslatedCode code) {
        long[] registers = new long[64];
        RegionExit exit = new RegionExit();
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            code.run(registers, 0, 0, 0, 0, exit);
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
