package io.vmmlab.cpu.translate;

/**
 * The hot threshold of one hart's translator, adapted to how much of the guest's work translated code carries. A
 * region costs HotSpot milliseconds of compilation and pays that back only when the guest then runs it for long.
 * In a benchmark's kernels the hot blocks head loops that run for hundreds of millions of instructions in
 * translated code; on the way to Linux's init most blocks that reach the base threshold belong to loops of some
 * thousand iterations, over before or soon after their region arrives: of 64 regions, 16 never ran and 47 retired
 * fewer than 50,000 instructions; translated code ran 3.5 of the 20 million instructions, and the translator
 * reached init 0.07 s after the interpreter alone.
 *
 * <p>So the threshold follows the guest: after every {@link #WINDOW} guest instructions (judged when the hart starts a
 * run, so at most a slice late), if translated code ran fewer than half of them, the threshold doubles (up to
 * {@code 2^}{@link #MAX_LEVEL} times the base); if it ran at least half, the threshold is the base again. A run whose time
 * goes to translated code keeps the base threshold (a benchmark kernel's first blocks still get hot at the base, and
 * its next kernel's blocks get hot within a window or two of interpreting them), and one that mostly runs cold code
 * soon translates only blocks that are much hotter. Measured (interleaved runs): Linux to init 0.571 -> 0.524 s
 * (interpreter 0.492 s), under hwassist 0.605 -> 0.541 s; bench.elf 2.339 -> 2.333 s; windows of 2 or 8 million
 * instructions, or starting at the highest level, cost bench.elf 1-2%. The windows count guest instructions, not time,
 * so a deterministic run stays deterministic.
 */
final class TranslationPayoff {
    /** Guest instructions per judgement. */
    static final long WINDOW = 1_000_000;
    /** The most doublings of the base threshold. */
    static final int MAX_LEVEL = 4;

    private final int base;
    private int level;
    private long translated;
    private long windowStart;
    private long translatedAtWindowStart;

    /**
     * Creates the policy.
     *
     * @param base the threshold while translated code carries the run (0: every block is translated at its first
     *             execution, always)
     */
    TranslationPayoff(int base) {
        if (base < 0) {
            throw new IllegalArgumentException("base threshold must not be negative: " + base);
        }
        this.base = base;
    }

    /** Returns the threshold while translated code carries the run. */
    int base() {
        return base;
    }

    /** Returns the executions that make a block hot now. */
    int threshold() {
        return (int) Math.min(Integer.MAX_VALUE, (long) base << level);
    }

    /**
     * Counts instructions retired in translated code.
     *
     * @param instructions a run's instructions
     */
    void ranTranslated(int instructions) {
        translated += instructions;
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
            long share = translated - translatedAtWindowStart;
            level = 2 * share >= elapsed ? 0 : Math.min(level + 1, MAX_LEVEL);
        }
        if (elapsed >= WINDOW || elapsed < 0) {
            windowStart = instret;
            translatedAtWindowStart = translated;
        }
    }
}
