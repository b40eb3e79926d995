package io.vmmlab.api.memory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes a host block read as zero while touching as few of its pages as it can: reading a page faults it in, so
 * it reads only the pages that may hold data, as {@link Residency} (on Linux, {@link HostPageMap}) tells, and clears
 * those that are not zero. Where that cannot be told, it reads every page (an untouched page then maps the kernel's
 * shared zero page: no memory committed, but a fault per page). Large jobs are shared among several threads.
 *
 * <p>The answer is checked before it is trusted: the first page is written just before the question, so an answer
 * that does not list it (a {@code /proc} emulated by a sandbox, say) makes every page read, as when there is none.
 */
final class BlockClearing {
    /** The page size the clearing works in. */
    static final long PAGE = HostPageMap.PAGE;
    // From this many bytes to read on, several threads read (the page faults dominate: a 2 GiB block took 0.35 s on
    // one thread, 0.20 s on two), at most this many.
    private static final long PARALLEL_BYTES = 64L << 20;
    private static final int MAX_READERS = 4;

    /** Which pages of a block may hold data. */
    @FunctionalInterface
    interface Residency {
        /**
         * Tells which 4 KiB pages of a block may hold data.
         *
         * @param address the block's first byte
         * @param length its bytes, a multiple of 4 KiB
         * @return page {@code k} (at {@code address + k * 4096}) is set when it may hold data; null when that cannot
         *         be told
         */
        BitSet pagesThatMayHoldData(long address, long length);
    }

    private final sun.misc.Unsafe unsafe;
    private final Residency residency;

    /**
     * A clearing that asks the given residency, or reads every page when it is null.
     *
     * @param unsafe the accessor
     * @param residency where to learn which pages may hold data, or null
     */
    BlockClearing(sun.misc.Unsafe unsafe, Residency residency) {
        this.unsafe = unsafe;
        this.residency = residency;
    }

    /**
     * The clearing for blocks of this process: with {@link HostPageMap} where the host has one.
     *
     * @param unsafe the accessor
     * @return the clearing
     */
    static BlockClearing forThisProcess(sun.misc.Unsafe unsafe) {
        return new BlockClearing(unsafe, HostPageMap.ofThisProcess(unsafe.pageSize()));
    }

    /**
     * Makes a block read as zero.
     *
     * @param address the block, 4 KiB aligned or not
     * @param length its bytes, a multiple of 4 KiB
     * @throws IllegalStateException when a helper thread failed (its share may not be cleared)
     */
    void clear(long address, long length) {
        BitSet pages = null;
        if (residency != null) {
            unsafe.putByte(address, (byte) 0); // a page that must be in the answer
            pages = residency.pagesThatMayHoldData(address, length);
            if (pages != null && !pages.get(0)) {
                pages = null; // it missed a page just written: do not trust it
            }
        }
        long bytes = pages == null ? length : pages.cardinality() * PAGE;
        int readers = bytes >= PARALLEL_BYTES ? Math.min(MAX_READERS, Runtime.getRuntime().availableProcessors()) : 1;
        clearDirtyPages(unsafe, address, length, readers, pages);
    }

    /**
     * Zeroes the 4 KiB pages of a block that are in a set (or all, without a set) and do not already read as zero,
     * on the calling thread and up to {@code readers - 1} more, each taking a share of the pages (the calling thread
     * takes the share of a thread that could not be started); returns only when all have stopped.
     *
     * @param unsafe the accessor
     * @param address the block, 4 KiB aligned or not
     * @param length its bytes, a multiple of 4 KiB
     * @param readers how many threads should read it, at least 1
     * @param pages the pages to look at (page {@code k} starts at {@code address + k * 4096}), or null for all
     * @throws IllegalStateException when a helper thread failed (its share may not be cleared)
     */
    static void clearDirtyPages(sun.misc.Unsafe unsafe, long address, long length, int readers, BitSet pages) {
        int count = Math.toIntExact(length / PAGE);
        List<Thread> helpers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (int share = 1; share < readers; share++) {
                int from = (int) ((long) count * share / readers);
                int to = (int) ((long) count * (share + 1) / readers);
                Thread helper = new Thread(() -> {
                    try {
                        clearRange(unsafe, address, from, to, pages);
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    }
                }, "vmm-ram-clear-" + share);
                helper.start();
                helpers.add(helper);
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            // no more threads: the shares left are cleared below
        }
        clearRange(unsafe, address, 0, (int) ((long) count / readers), pages);
        clearRange(unsafe, address, (int) ((long) count * (helpers.size() + 1) / readers), count, pages);
        joinUninterruptibly(helpers);
        if (failure.get() != null) {
            throw new IllegalStateException("clearing guest RAM failed", failure.get());
        }
    }

    private static void clearRange(sun.misc.Unsafe unsafe, long address, int from, int to, BitSet pages) {
        if (pages == null) {
            for (int page = from; page < to; page++) {
                clearIfDirty(unsafe, address + page * PAGE);
            }
            return;
        }
        for (int page = pages.nextSetBit(from); page >= 0 && page < to; page = pages.nextSetBit(page + 1)) {
            clearIfDirty(unsafe, address + page * PAGE);
        }
    }

    // Stops reading at the first word that is not zero: a page an earlier guest wrote usually shows it at once (the
    // bundled kernel writes a link at the start of every free page), so a kept block costs little more than the
    // clearing itself (vmm compare's fifty VMs spent 1.5 s reading their blocks through).
    private static void clearIfDirty(sun.misc.Unsafe unsafe, long page) {
        for (long at = page; at < page + PAGE; at += Long.BYTES) {
            if (unsafe.getLong(at) != 0) {
                unsafe.setMemory(page, PAGE, (byte) 0);
                return;
            }
        }
    }

    private static void joinUninterruptibly(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
