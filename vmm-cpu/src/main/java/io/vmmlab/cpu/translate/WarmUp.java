package io.vmmlab.cpu.translate;

/**
 * Gets a new region compiled by HotSpot before its first real run. It runs the code with no budget, which returns
 * at once having changed nothing (the region's first check), a few hundred times: that is what makes HotSpot
 * compile a method, so the region's first real runs (each up to a whole slice of guest instructions) execute
 * compiled code instead of the JVM's bytecode interpreter. A builder on another thread then waits until such a run
 * is fast, that is, compiled (or a time limit passes): fast in absolute terms and several times faster than the
 * region's first runs, which certainly ran interpreted. The hart meanwhile runs the block on the interpreter's
 * compiled hot loop, much faster than the JVM would run the region's bytecode. The runs stay well below the count at
 * which HotSpot would compile the method again with C2, whose profile must come from real runs.
 */
final class WarmUp {
    // Above HotSpot's Tier3InvocationThreshold (200, or 60 where the vmm launcher scales regions' thresholds by
    // 0.3), so that the JIT queues the method for compilation.
    private static final int RUNS = 256;
    // The runs timed to learn how fast this region runs in the JVM's bytecode interpreter (where it certainly runs
    // then: HotSpot may queue it for compilation within them, but cannot have compiled it yet), after a few that
    // resolve its constants: batches of PROBE_RUNS, of which the fastest counts (a preempted batch would make the
    // interpreter look slower than it is).
    private static final int SETTLING_RUNS = 8;
    private static final int CALIBRATION_BATCHES = 4;
    // Waiting for the compiled code: runs per probe; how fast a compiled zero-budget run is at most, both absolutely
    // and against the region's own interpreted runs (a small region's zero-budget run takes only some tens of
    // nanoseconds in the interpreter, about what the absolute limit allows: bench.elf's first regions were taken for
    // compiled that way in about one run in three, and ran interpreted for 80 ms); the most time to wait (an
    // uncompiled region would run in the JVM's bytecode interpreter); and the runs after which probes become rare
    // and short, so that all runs stay below HotSpot's C2 invocation threshold (5000, and 1500 with the launcher's
    // scaling): at most MAX_RUNS + PROBE_RUNS + WAIT_NANOS / LATE_PROBE_INTERVAL_NANOS * (LATE_PROBE_RUNS + 1) =
    // 1216. Each probe first makes one untimed run: after a pause even compiled code runs slower than the limit once
    // (cold caches).
    private static final int PROBE_RUNS = 16;
    private static final long COMPILED_RUN_NANOS = 60;
    private static final int COMPILED_SPEEDUP = 4;
    private static final long WAIT_NANOS = 200_000_000;
    private static final int MAX_RUNS = 1000;
    private static final int LATE_PROBE_RUNS = 4;
    private static final long LATE_PROBE_INTERVAL_NANOS = 5_000_000;

    private final TranslatedCode code;
    private final long[] registers = new long[64];
    private final RegionExit exit = new RegionExit();
    private final long compiledRunNanos;
    private final long interpretedNanos; // the fastest calibration batch (PROBE_RUNS runs)
    private final long deadline;
    private int runs;
    private long lastProbe;

    /**
     * Makes HotSpot queue a new region for compilation (runs it {@link #RUNS} times with no budget), timing some of
     * those runs to learn its interpreted speed.
     *
     * @param code the new region
     */
    WarmUp(TranslatedCode code) {
        this(code, COMPILED_RUN_NANOS);
    }

    /**
     * Creates the wait with another absolute limit for a compiled run.
     *
     * @param code the new region
     * @param compiledRunNanos the most a compiled zero-budget run may take
     */
    WarmUp(TranslatedCode code, long compiledRunNanos) {
        this.code = code;
        this.compiledRunNanos = compiledRunNanos;
        for (int i = 0; i < SETTLING_RUNS; i++) {
            run();
        }
        long fastest = Long.MAX_VALUE;
        for (int batch = 0; batch < CALIBRATION_BATCHES; batch++) {
            fastest = Math.min(fastest, timeRuns(PROBE_RUNS));
        }
        interpretedNanos = fastest;
        for (int i = SETTLING_RUNS + CALIBRATION_BATCHES * PROBE_RUNS; i < RUNS; i++) {
            run();
        }
        runs = RUNS;
        long now = System.nanoTime();
        deadline = now + WAIT_NANOS;
        lastProbe = now - LATE_PROBE_INTERVAL_NANOS;
    }

    private void run() {
        code.run(registers, 0, 0, 0, 0, exit);
    }

    /** Makes some zero-budget runs; returns the nanoseconds they took. */
    private long timeRuns(int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            run();
        }
        return System.nanoTime() - start;
    }

    /**
     * Tells whether waiting is over: a few more zero-budget runs were fast (the region is compiled), or the time
     * limit is reached. Call again after a pause (leaving the CPU to the JIT compiler) while it says no; after
     * {@link #MAX_RUNS} runs, it probes only every {@link #LATE_PROBE_INTERVAL_NANOS}.
     *
     * @return true when the region may be handed to the hart
     */
    boolean done() {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
            return true;
        }
        int probeRuns = PROBE_RUNS;
        if (runs >= MAX_RUNS) {
            if (now - lastProbe < LATE_PROBE_INTERVAL_NANOS) {
                return false;
            }
            lastProbe = now;
            probeRuns = LATE_PROBE_RUNS;
        }
        run(); // untimed: the first run after a pause runs with cold caches
        long elapsed = timeRuns(probeRuns);
        runs += probeRuns + 1;
        return elapsed < probeRuns * compiledRunNanos
                && elapsed * COMPILED_SPEEDUP * PROBE_RUNS < interpretedNanos * probeRuns;
    }
}
