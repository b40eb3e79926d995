package io.vmmlab.cpu.translate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translator's debug log of its regions (`VMM_LOG_LEVEL=debug`): each region as it is asked for, and as it is
 * attached, with how long it waited for the builder thread, was built, and waited for HotSpot in all. Nothing is
 * formatted, and no clock is read on the hart's thread, unless the log is on.
 */
final class RegionLog {
    private static final Logger log = LoggerFactory.getLogger(BlockTranslator.class);

    private RegionLog() {
    }

    /** Returns {@link System#nanoTime} when the log is on, else 0 (for {@link #attached}'s figures). */
    static long now() {
        return log.isDebugEnabled() ? System.nanoTime() : 0;
    }

    /** Notes a region asked for: its entry's physical address, its blocks, the hot threshold it reached. */
    static void asked(long physicalPc, int blocks, int threshold) {
        if (log.isDebugEnabled()) {
            log.debug("Region at {} ({} blocks) asked for at hot threshold {}", Long.toHexString(physicalPc), blocks,
                    threshold);
        }
    }

    /**
     * Notes a region attached to its entry block.
     *
     * @param physicalPc the entry's physical address
     * @param blocks the blocks the region holds
     * @param chosen the blocks chosen for it (more when its class had to be made smaller)
     * @param askedNanos when it was asked for ({@link #now})
     * @param startedNanos when the builder started on it
     * @param builtNanos when its class was defined
     */
    static void attached(long physicalPc, int blocks, int chosen, long askedNanos, long startedNanos,
            long builtNanos) {
        if (log.isDebugEnabled()) {
            log.debug("Region at {} ({} of {} blocks) attached {} ms after it was asked for (waited {} ms for the "
                    + "builder, built in {} ms)", Long.toHexString(physicalPc), blocks, chosen,
                    milliseconds(System.nanoTime() - askedNanos), milliseconds(startedNanos - askedNanos),
                    milliseconds(builtNanos - startedNanos));
        }
    }

    private static String milliseconds(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
