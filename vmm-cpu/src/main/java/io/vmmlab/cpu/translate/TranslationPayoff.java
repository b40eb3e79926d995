package io.vmmlab.cpu.translate;

import io.vmmlab.api.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The hot threshold of one hart's translator, adapted to whether its regions pay for themselves. A region costs
 * HotSpot milliseconds of compilation and pays that back only when the guest then runs it for long. In a
 * benchmark's kernels the hot blocks head loops that run for hundreds of millions of instructions in translated
 * code; on the way to Linux's init most blocks that reach the base threshold belong to loops of some thousand
 * iterations, over before or soon after their region arrives (the boot's first 11 regions, asked for while the JIT
 * compiled VMMLab's own start-up, arrived 40-110 ms later and none ran a single instruction).
 *
 * <p>So the threshold follows the regions. After every {@link #WINDOW} guest instructions (judged when the hart
 * starts a run, so at most a slice late):
 * <ul>
 *   <li>if translated code ran at least half of them, the threshold is the base;</li>
 *   <li>otherwise, if a region has been out for {@link #BEHIND_WINDOWS} whole windows (the JIT is behind), or most
 *       of the regions attached in the window before (each has had a whole window to run) ran fewer than
 *       {@link #WASTED_BELOW} instructions, the threshold doubles (up to {@code 2^}{@link #MAX_LEVEL} times the
 *       base);</li>
 *   <li>otherwise, if most of those regions ran at least {@link #PAID_FROM}, it halves (down to the base); with no
 *       region to judge it stays, and comes down one step after {@link #QUIET_WINDOWS} such windows in a row.</li>
 * </ul>
 * The regions are the evidence, not the share of translated code alone: a hot path wider than a few hundred
 * instructions (an unrolled hash function, a system call's path through a kernel) has blocks that each run only a few
 * hundred times per window, so translated code cannot carry a window until they reach the threshold; raising the
 * threshold for every window it does not carry (the rule before session 32) kept such code from ever being
 * translated (an unrolled BLAKE2s compression, 131 million instructions: 2 regions, none of them in the compression;
 * now 43).
 *
 * <p>The windows count guest instructions, not time, and the regions' instructions are the hart's, so a deterministic
 * run (whose regions are built on the hart's thread, and so are never outstanding at a window's end) stays
 * deterministic.
 */
final class TranslationPayoff {
    private static final Logger log = LoggerFactory.getLogger(TranslationPayoff.class);
    /** Guest instructions per judgement. */
    static final long WINDOW = 1_000_000;
    /** The most doublings of the base threshold. */
    static final int MAX_LEVEL = 4;
    /** A region that ran fewer instructions than this by its judgement did not pay for its compilation. */
    static final long WASTED_BELOW = 20_000;
    /**
     * A region that ran at least this many instructions by its judgement paid for its compilation (a few milliseconds
     * of HotSpot's time against a few nanoseconds saved per instruction); between the two it proves nothing.
     */
    static final long PAID_FROM = 250_000;
    /** Windows in a row with no region to judge (and translated code not carrying them) before a step down. */
    static final int QUIET_WINDOWS = 8;
    /**
     * Window starts a region may stay out past before the JIT counts as behind. A region normally arrives some
     * milliseconds to some tens of milliseconds after it is asked for, and a window of interpreted code takes about
     * 5 ms: counted behind after a single window (the rule before session 34), any region raised the threshold while
     * it was being compiled, and a hot straight-line path (BLAKE2s's compression) was asked for at 320-740 ms instead
     * of about 130 (bench-wide.elf 1.69 -> 1.56 s, at four times its length 3.51 -> 3.19 s; bench.elf and Linux's boot
     * unchanged).
     */
    static final int BEHIND_WINDOWS = 16;

    private final int base;
    private final Counter translated;
    private int level;
    private int quietWindows;
    private long windowStart;
    private long translatedAtWindowStart;
    private long requests;
    private final NavigableSet<Long> outstanding = new TreeSet<>();
    // The request numbers at the last BEHIND_WINDOWS window starts (a ring, by window count).
    private final long[] requestsAtWindowStart = new long[BEHIND_WINDOWS];
    private long windowStarts;
    private List<TranslatedCode> attachedInWindow = new ArrayList<>();
    private List<TranslatedCode> awaitingJudgement = new ArrayList<>();

    /**
     * Creates the policy.
     *
     * @param base the threshold while regions pay (0: every block is translated at its first execution, always)
     * @param translated counts the instructions the hart retired in translated code ({@code translator.instructions})
     */
    TranslationPayoff(int base, Counter translated) {
        if (base < 0) {
            throw new IllegalArgumentException("base threshold must not be negative: " + base);
        }
        this.base = base;
        this.translated = translated;
    }

    /** Returns the threshold while regions pay. */
    int base() {
        return base;
    }

    /** Returns the executions that make a block hot now. */
    int threshold() {
        return (int) Math.min(Integer.MAX_VALUE, (long) base << level);
    }

    /**
     * Notes a region asked for: it is outstanding until {@link #settled} says it came back.
     *
     * @return the request's number, for {@link #settled}
     */
    long requested() {
        outstanding.add(requests);
        return requests++;
    }

    /**
     * Notes a region that came back from its builder, attached or not.
     *
     * @param request its number ({@link #requested})
     */
    void settled(long request) {
        outstanding.remove(request);
    }

    /**
     * Notes a region the hart attached; it is judged once the window after this one has passed.
     *
     * @param code the region
     */
    void attached(TranslatedCode code) {
        attachedInWindow.add(code);
    }

    /**
     * Adapts the threshold when a window has passed since the last judgement (a window starts afresh when the
     * count went back: the hart was reset).
     *
     * @param instret the hart's retired-instruction count now
     */
    void judge(long instret) {
        long elapsed = instret - windowStart;
        if (elapsed >= WINDOW) {
            long share = translated.value() - translatedAtWindowStart;
            int judged = awaitingJudgement.size();
            int wasted = ranFewerThan(awaitingJudgement, WASTED_BELOW);
            int paid = judged - ranFewerThan(awaitingJudgement, PAID_FROM);
            int before = level;
            String why = null; // for the debug log
            if (2 * share >= elapsed) {
                level = 0;
                quietWindows = 0;
                why = "translated code ran most of the window";
            } else if (jitBehind() || 2 * wasted > judged) {
                level = Math.min(level + 1, MAX_LEVEL);
                quietWindows = 0;
                why = 2 * wasted > judged ? "regions wasted" : "the JIT is behind";
            } else if (judged > 0) {
                if (2 * paid > judged) {
                    level = Math.max(level - 1, 0);
                }
                quietWindows = 0;
                why = "regions paid";
            } else if (level > 0 && ++quietWindows >= QUIET_WINDOWS) {
                level--;
                quietWindows = 0;
                why = "windows without regions";
            }
            if (level != before && log.isDebugEnabled()) {
                log.debug("Hot threshold {} -> {} at instruction {}: {} ({} regions judged, {} wasted, {} paid)",
                        (long) base << before, (long) base << level, instret, why, judged, wasted, paid);
            }
            awaitingJudgement = attachedInWindow;
            attachedInWindow = new ArrayList<>();
        } else if (elapsed < 0) {
            attachedInWindow.clear();
            awaitingJudgement.clear();
        }
        if (elapsed >= WINDOW || elapsed < 0) {
            windowStart = instret;
            translatedAtWindowStart = translated.value();
            requestsAtWindowStart[(int) (windowStarts++ % BEHIND_WINDOWS)] = requests;
        }
    }

    /**
     * Tells whether a region asked for before the start of the window {@link #BEHIND_WINDOWS} - 1 windows before the
     * current one is still out: out for that many whole windows at least (counting across hart resets, which start a
     * window too).
     */
    private boolean jitBehind() {
        if (outstanding.isEmpty() || windowStarts < BEHIND_WINDOWS) {
            return false; // none out, or none asked for that long ago (requests before the first window start: none)
        }
        // The oldest of the ring: the start of the window BEHIND_WINDOWS - 1 before the current one.
        long boundary = requestsAtWindowStart[(int) (windowStarts % BEHIND_WINDOWS)];
        return outstanding.first() < boundary;
    }

    private static int ranFewerThan(List<TranslatedCode> regions, long instructions) {
        int count = 0;
        for (TranslatedCode code : regions) {
            if (code.instructionsRun() < instructions) {
                count++;
            }
        }
        return count;
    }
}
