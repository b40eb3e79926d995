package io.vmmlab.fullvirt.translate;

import io.vmmlab.api.cpu.CalloutHandler;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker;
import io.vmmlab.fullvirt.shadow.ShadowMmu;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code bt} technique's engine: translates guest-kernel blocks on demand into the {@link TranslationCache},
 * moves the hart between guest pcs and translated code, and runs the callouts of translated code in-line (the
 * hart's {@link CalloutHandler}). Jump stubs look their target up (translating it if needed) and, when source and
 * target are in the same guest page, patch themselves into a direct jump (chaining); indirect jumps look their
 * target up each time; sensitive instructions go to the VMM's {@link GuestKernel}. A translation is used only while
 * the guest still maps its pc to the guest-physical address it was read from; translated guest pages are
 * write-protected by the shadow MMU, and a write to one forgets its translations ({@link #codeWritten}).
 */
public final class BinaryTranslator implements CalloutHandler {
    private final TranslationCache cache;
    private final BlockTranslator translator;
    private final GuestPageTableWalker walker;
    private final GuestMemory guestRam;
    private final List<Hart> harts;
    private final VirtualSupervisorState[] states;
    private final ShadowMmu shadow;
    private final Counter blocks;
    private final Counter invalidated;
    private final Counter flushes;
    private final Counter chained;
    private final Counter jumps;
    private final Counter indirect;
    private final long[] parkedAt;
    private final long[] parkedFrom;
    private final long[] parkedGeneration;
    private long generation;
    // Counts flushes of the whole cache: a stub's place from before one holds other code after it.
    private long cacheEpoch;
    // The address the last failed lookup's fetch fault belongs to (stval): the pc, or the second half of an
    // instruction that crosses into a page the guest cannot fetch from.
    private long faultAddress;
    private GuestKernel kernel;

    /** What the VMM does for callouts it owns. */
    public interface GuestKernel {
        /**
         * Emulates a sensitive guest-kernel instruction; the hart's pc is the instruction's guest pc. The VMM
         * leaves the hart at the translated pc to go on with, or calls {@link Hart#requestExit()}.
         *
         * @param hart the hart
         * @param bits the guest instruction
         * @param next the translated code that follows the callout, to continue with when nothing changed
         */
        void sensitive(Hart hart, int bits, long next);

        /**
         * Delivers a fault of the guest's own making: a jump to code it cannot fetch, or a callout instruction
         * the guest executed itself. The hart's pc is the guest pc the fault belongs to.
         *
         * @param hart the hart
         * @param cause the exception code
         * @param tval the trap value
         */
        void fault(Hart hart, int cause, long tval);
    }

    /**
     * Creates the engine.
     *
     * @param cache the translation cache
     * @param guestRam the guest's RAM
     * @param walker the guest page-table walker
     * @param harts the harts, whose decoded copies of the cache must follow its changes
     * @param states the guests' virtual states
     * @param shadow the shadow MMU, which write-protects translated pages
     * @param counters where to count
     */
    public BinaryTranslator(TranslationCache cache, GuestMemory guestRam, GuestPageTableWalker walker,
                            List<Hart> harts, VirtualSupervisorState[] states, ShadowMmu shadow,
                            Counters counters) {
        this.cache = cache;
        this.translator = new BlockTranslator(cache, guestRam);
        this.walker = walker;
        this.guestRam = guestRam;
        this.harts = harts;
        this.states = states;
        this.shadow = shadow;
        this.parkedAt = new long[harts.size()];
        this.parkedFrom = new long[harts.size()];
        this.parkedGeneration = new long[harts.size()];
        Arrays.fill(parkedGeneration, -1);
        this.blocks = counters.counter("bt", "block-translated", CostCategory.TRANSLATION);
        this.invalidated = counters.counter("bt", "invalidated", CostCategory.NONE);
        this.flushes = counters.counter("bt", "cache-flush", CostCategory.NONE);
        this.chained = counters.counter("bt", "chained", CostCategory.NONE);
        // Jump lookups are not callouts: VMware's translator resolves them inside the cache, and pricing them as
        // a callout-and-emulate would charge a sensitive instruction's emulation for every return.
        this.jumps = counters.counter("translated-jump", "direct", CostCategory.TRANSLATED_JUMP);
        this.indirect = counters.counter("translated-jump", "indirect", CostCategory.TRANSLATED_JUMP);
    }

    /**
     * Connects the VMM that handles sensitive instructions and guest faults.
     *
     * @param kernel the VMM side
     */
    public void connect(GuestKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Tells whether a hart's pc is translated code: inside the cache's window while the hart is in virtual S-mode.
     * Guest user code runs untranslated in the user view, where the window's addresses are the guest's own memory
     * (its kernel may map user pages there), so a virtual U-mode pc there is the guest's.
     *
     * @param hart the hart
     * @param pc its pc (or a trap's pc, taken in the hart's present virtual mode)
     * @return true for translated code
     */
    public boolean inTranslatedCode(Hart hart, long pc) {
        return cache.inWindow(pc) && states[hart.hartId()].supervisor();
    }

    /**
     * Returns the guest pc a hart's pc stands for.
     *
     * @param hart the hart
     * @param pc its pc
     * @return the guest pc of the instruction whose translation holds pc, or pc itself when it is no translated code
     */
    public long guestPc(Hart hart, long pc) {
        return inTranslatedCode(hart, pc) ? cache.guestPc(pc) : pc;
    }

    /**
     * Moves a hart that stopped inside translated code to the guest pc it stands for, and remembers where it was:
     * if it resumes at that same guest pc with the cache unchanged, {@link #enter} puts it back exactly there (it
     * may have stopped inside the expansion of one guest instruction, which must not restart forever).
     *
     * @param hart the hart, between runs
     */
    public void park(Hart hart) {
        long pc = hart.pc();
        if (!inTranslatedCode(hart, pc)) {
            return;
        }
        int id = hart.hartId();
        parkedAt[id] = pc;
        parkedFrom[id] = cache.guestPc(pc);
        parkedGeneration[id] = generation;
        hart.setPc(parkedFrom[id]);
    }

    /**
     * Points a hart in virtual S-mode at the translation of its guest pc, translating it if needed. The pc is always
     * the guest's (a hart that stopped in the cache was {@link #park parked} first): one inside the cache's window
     * is where the guest itself jumped, returned or trapped to, a fetch of its own there, never the translated code
     * at that place.
     *
     * @param hart the hart, with a guest pc
     * @return -1, or the exception code of the fault the guest must take at that pc (with tval =
     *         {@link #faultAddress()})
     */
    public int enter(Hart hart) {
        long pc = hart.pc();
        int id = hart.hartId();
        boolean parked = parkedGeneration[id] == generation && parkedFrom[id] == pc;
        parkedGeneration[id] = -1;
        if (parked) {
            hart.setPc(parkedAt[id]);
            return -1;
        }
        long offset = lookup(states[hart.hartId()], pc);
        if (offset < 0) {
            return (int) (-offset - 1);
        }
        hart.setPc(TranslationCache.windowAddress((int) offset));
        return -1;
    }

    /**
     * Returns the address a fetch fault that {@link #enter} returned belongs to, for stval: the pc, or the pc of the
     * instruction's second half when the instruction crosses into a page the guest cannot fetch from (Privileged
     * spec: stval points to the portion of the instruction that caused the fault, sepc to its start).
     *
     * @return the faulting address
     */
    public long faultAddress() {
        return faultAddress;
    }

    /**
     * Makes a parked hart's next {@link #enter} translate its guest pc afresh: the hart ran a translation older than
     * the guest's code (it was inside it when the code was rewritten), so it neither goes back where it was parked
     * nor reuses any translation of that code.
     *
     * @param hart the hart, parked at a guest pc
     */
    public void refetch(Hart hart) {
        parkedGeneration[hart.hartId()] = -1;
        TranslationCache.Entry entry = cache.entry(hart.pc());
        if (entry != null) {
            codeWritten(entry.guestPhysical() & ~0xfffL);
        }
    }

    /**
     * A remote SFENCE.VMA or FENCE.I (SBI) for a hart: its next fetch must see the guest's mapping and code as they
     * are now, while chained jumps inside translated code never look. A hart inside translated code goes back to the
     * guest pc it is at (as after a flush: its next run faults there and is entered afresh), and its park goes.
     *
     * @param hart the fenced hart, between runs (or the caller, whose pc is a guest pc during its callout)
     */
    public void fenced(Hart hart) {
        parkedGeneration[hart.hartId()] = -1;
        if (inTranslatedCode(hart, hart.pc())) {
            hart.setPc(cache.guestPc(hart.pc()));
        }
    }

    @Override
    public void callout(Hart hart, int bits) {
        long pc = hart.pc();
        Callout callout = inTranslatedCode(hart, pc) ? cache.callout(pc) : null;
        if (callout == null) {
            kernel.fault(hart, TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
            return;
        }
        switch (callout.kind()) {
            case SENSITIVE -> {
                hart.setPc(callout.guestPc());
                kernel.sensitive(hart, callout.bits(), pc + 4);
            }
            case JUMP -> {
                jumps.increment();
                long epoch = cacheEpoch;
                long offset = resolve(hart, callout.target());
                // Translating the target may have flushed the full cache: the stub is gone, its place the target's.
                if (offset >= 0 && callout.chainable() && epoch == cacheEpoch) {
                    chain(pc, TranslationCache.windowAddress((int) offset), callout);
                }
            }
            case INDIRECT -> {
                indirect.increment();
                int rd = callout.bits() & 31;
                long target = (hart.register(callout.bits() >>> 5) + callout.target()) & ~1L;
                hart.setRegister(rd, callout.link());
                resolve(hart, target);
            }
        }
    }

    /**
     * Forgets the translations of a guest page the guest (or a device) just wrote.
     *
     * @param page the guest-physical page
     */
    public void codeWritten(long page) {
        if (cache.invalidatePage(page)) {
            invalidated.increment();
            generation++;
        }
        shadow.releaseCode(page);
    }

    /**
     * Forgets every translation: the cache is full. (FENCE.I does not need it: every write into a translated page
     * already dropped that page's translations, see {@link #codeWritten}.)
     */
    public void flush() {
        flushes.increment();
        generation++;
        cacheEpoch++;
        for (Hart hart : harts) {
            // A hart waiting to run inside the cache restarts its guest instruction from a fresh translation.
            if (inTranslatedCode(hart, hart.pc())) {
                hart.setPc(cache.guestPc(hart.pc()));
            }
        }
        for (long page : cache.pages()) {
            shadow.releaseCode(page);
        }
        cache.flush();
        for (Hart hart : harts) {
            hart.invalidateCode(cache.region().base(), cache.region().size());
        }
    }

    /**
     * Sets the hart's pc to the translation of a guest target and returns its cache offset, or delivers the fetch
     * fault there and returns -1.
     */
    private long resolve(Hart hart, long target) {
        long offset = lookup(states[hart.hartId()], target);
        if (offset < 0) {
            hart.setPc(target);
            kernel.fault(hart, (int) (-offset - 1), faultAddress);
            return -1;
        }
        hart.setPc(TranslationCache.windowAddress((int) offset));
        return offset;
    }

    private void chain(long stub, long target, Callout callout) {
        TranslationCache.Entry entry = cache.entry(callout.target());
        long offset = target - stub;
        // Never into an instruction that crosses into the next page: a write there must not leave a chained way in.
        if (entry == null || (entry.guestPhysical() & ~0xfffL) != callout.link() || !cache.hasCode(callout.link())
                || (callout.target() & 0xfff) == 0xffe || !Rv64Encoder.jalReaches(offset)) {
            return;
        }
        int stubOffset = (int) (stub - TranslationCache.WINDOW);
        cache.patch(stubOffset, Rv64Encoder.jal(0, offset));
        for (Hart other : harts) {
            other.invalidateCode(cache.region().base() + stubOffset, 4);
        }
        chained.increment();
    }

    /** Returns the cache offset of a guest pc's translation, translating the block if needed, or -(1 + fault). */
    private long lookup(VirtualSupervisorState state, long va) {
        faultAddress = va;
        if (cache.inWindow(va)) {
            // The guest's own code there is out of reach, as its loads and stores are (ShadowMmu): its page fault
            // when it does not map the address, else an access fault.
            long physical = walker.physical(state.satp(), va, GuestPageTableWalker.FETCH, false, state.sum(),
                    state.mxr(), false);
            return physical < 0 ? physical : -1 - GuestPageTableWalker.accessFault(GuestPageTableWalker.FETCH);
        }
        long physical = fetchPhysical(state, va);
        if (physical < 0) {
            return physical;
        }
        TranslationCache.Entry entry = cache.entry(va);
        if (entry != null && entry.guestPhysical() == physical) {
            return entry.offset();
        }
        if (cache.free() < BlockTranslator.MAX_BLOCK_BYTES) {
            flush();
        }
        long offset = translator.translate(va, physical, address -> fetchPhysical(state, address));
        if (offset < 0) {
            faultAddress = va + 2; // only a block's first instruction may cross a page, and its first half was fetched
            return offset;
        }
        blocks.increment();
        for (long page : cache.takeNewPages()) {
            if (shadow.protectCode(page)) {
                // A hart (this one, in a callout) may still hold a writable TLB entry for the page, made before it
                // held translated code: a store through it would not trap, and the translation would outlive it.
                // FENCE.I does not flush the cache, so the protection must hold from now on. Only the entries that
                // store to this page go; the harts' other cached translations are still right.
                for (Hart hart : harts) {
                    hart.revokeWrite(page);
                }
            }
        }
        return offset;
    }

    private long fetchPhysical(VirtualSupervisorState state, long va) {
        long physical = walker.physical(state.satp(), va, GuestPageTableWalker.FETCH, false, state.sum(),
                state.mxr(), true);
        if (physical < 0) {
            return physical;
        }
        if (!guestRam.range().contains(physical, 2)) {
            return -1 - GuestPageTableWalker.accessFault(GuestPageTableWalker.FETCH);
        }
        return physical;
    }
}
