package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;

/**
 * Two {@link TranslatedCode} classes that never run, loaded before the first region is defined, so that HotSpot never
 * sees {@code TranslatedCode} with fewer than two concrete subclasses. With none or one, C2 compiles the interpreter's
 * driver (which calls {@link TranslatedCode#run}) on the assumption that there are no others, and throws the
 * compilation away when a region's class appears: on the way to Linux's init the driver's first C2 compilation
 * (about 40 ms of the one C2 thread) coincided with the first region and failed that way in every run.
 *
 * <p>Each class has a {@code run} of its own on purpose (both calling one helper): sharing one through a common
 * superclass would leave a single implementation of the method, which is what HotSpot's class hierarchy analysis must
 * not find.
 *
 * <p>Plain classes from the start-up cache, where the translator used to generate a sample region with ASM for
 * this, which loaded and verified ASM's classes (the cache cannot hold them) on another core at start-up: Linux to
 * init on the translator 0.451 -> 0.419 s without it (eight interleaved runs), while the first real region now
 * takes about 20 ms longer to build (bench.elf unchanged).
 */
final class PlaceholderCode {
    private PlaceholderCode() {
    }

    /** Loads both classes (once per JVM; later calls do nothing). */
    static void load() {
        First.class.getName();
        Second.class.getName();
    }

    /** Leaves at once, where it was entered (what either placeholder would do if it ran). */
    private static int stay(long pc, int retired, RegionExit exit) {
        exit.pc = pc;
        exit.retired = retired;
        return TranslatedCode.AT_BOUNDARY;
    }

    /** The first placeholder. */
    static final class First extends TranslatedCode {
        First() {
            super(new Block[0]);
        }

        @Override
        public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
            return stay(pc, retired, exit);
        }
    }

    /** The second placeholder. */
    static final class Second extends TranslatedCode {
        Second() {
            super(new Block[0]);
        }

        @Override
        public int run(long[] x, int tlbBase, long pc, int retired, int budget, RegionExit exit) {
            return stay(pc, retired, exit);
        }
    }
}
