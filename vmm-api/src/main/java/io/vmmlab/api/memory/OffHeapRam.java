package io.vmmlab.api.memory;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Guest RAM outside the Java heap, whose pages the host commits only when the guest first writes them, as a
 * hypervisor's anonymous mapping does: a guest that boots in 40 MiB of its 2 GiB costs the host about 40 MiB, and
 * setting the RAM up takes a fraction of the time that allocating (and so zeroing) a Java array of its size does
 * (measured in the top-level README's Start-up). Reads and writes are bounds-checked like {@link FlatRam}'s, so nothing
 * outside the RAM is reachable through them.
 *
 * <p>The memory comes from {@code Unsafe.allocateMemory}, which the C library serves with a fresh anonymous mapping
 * for blocks this large; the guest must nevertheless see zeroes whatever the allocator did, so the constructor reads
 * every page that may hold data and clears any that is not zero. On Linux the kernel tells which pages those are
 * ({@link HostPageMap}: none but the allocator's header page of a fresh mapping); elsewhere every page is read, which
 * maps the kernel's shared zero page where untouched (no memory committed, but a page fault per page). The block is
 * freed when the object becomes unreachable.
 *
 * <p>Beyond the RAM, the block reserves (without touching or clearing) up to the next power of two of its size plus
 * 8 bytes ({@link #hostLength()}), so that translated code, which masks its offsets with a power of two minus one,
 * cannot reach outside the block whatever the offset; no guest access reaches those bytes (the hart's TLB and range
 * checks keep every access inside the RAM before the mask applies). The whole reservation counts as committed
 * where the host does not overcommit memory ({@code vm.overcommit_memory=2}, {@code ulimit -v}).
 *
 * <p>The block goes back when the VM ends ({@link #release()}), or through a {@link Cleaner} once the RAM is
 * unreachable (translated code keeps it reachable through its classes, which the JVM unloads only in a collection
 * that unloads classes). A few blocks given back are kept for the next RAMs of the same length in this JVM
 * ({@link OffHeapBlocks}), which then reuse pages the host has already committed; the others are freed.
 *
 * <p>Only where {@link HostUnsafe#usable()}; the board falls back to {@link FlatRam} elsewhere.
 */
public final class OffHeapRam implements OffHeapMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final OffHeapBlocks RELEASED = new OffHeapBlocks();
    private static final long PAGE = HostPageMap.PAGE;
    // Blocks from this size on are read by several threads (the page faults dominate: a 2 GiB block took 0.35 s on
    // one thread, 0.20 s on two), at most this many.
    private static final long PARALLEL_SIZE = 64L << 20;
    private static final int MAX_READERS = 4;
    private static final long BYTE_ARRAY_BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private final sun.misc.Unsafe unsafe;
    private final AddressRange range;
    private final long base;
    private final long size;
    private final long hostAddress;
    private final long hostLength;
    private final Cleaner.Cleanable release;
    // The bytes the accessors allow: the size, 0 once released.
    private long accessible;

    /**
     * Allocates zeroed RAM.
     *
     * @param base first physical address
     * @param size bytes, a multiple of 4 KiB, at most {@link FlatRam#MAX_SIZE}
     * @throws IllegalStateException when {@link HostUnsafe#usable()} is false
     * @throws OutOfMemoryError when the host refuses the block
     */
    public OffHeapRam(long base, long size) {
        FlatRam.checkSize(size);
        this.unsafe = HostUnsafe.unsafe();
        this.range = new AddressRange(base, size);
        this.base = base;
        this.size = size;
        this.hostLength = Long.highestOneBit(size - 1) * 2 + Long.BYTES;
        long reused = RELEASED.take(hostLength);
        this.hostAddress = reused != 0 ? reused : unsafe.allocateMemory(hostLength);
        try {
            HostPageMap pageMap = HostPageMap.ofThisProcess(unsafe.pageSize());
            BitSet mayHoldData = pageMap == null ? null : pageMap.pagesThatMayHoldData(hostAddress, size);
            if (mayHoldData != null) {
                clearPages(unsafe, hostAddress, mayHoldData);
            } else {
                clearDirtyPages(unsafe, hostAddress, size, size >= PARALLEL_SIZE
                        ? Math.min(MAX_READERS, Runtime.getRuntime().availableProcessors()) : 1);
            }
        } catch (RuntimeException | Error e) {
            unsafe.freeMemory(hostAddress); // every reader has stopped: clearDirtyPages returns only then
            throw e;
        }
        this.accessible = size;
        this.release = CLEANER.register(this, new Release(unsafe, hostAddress, hostLength));
    }

    /**
     * Gives the block back at once, for the next {@link OffHeapRam} of this length in this JVM (or to the host), instead
     * of when the RAM becomes unreachable. This RAM's accessors then fail as for an address outside it. Only for when
     * nothing runs on the RAM any more, as the end of a VM (harts stopped, devices closed): whatever kept its
     * {@link #hostAddress()} must not use it after this. Calling it again does nothing.
     */
    public void release() {
        accessible = 0;
        release.clean();
    }

    /** Keeps or frees the block once its RAM is released or unreachable (it must not refer to the RAM itself). */
    private record Release(sun.misc.Unsafe unsafe, long address, long length) implements Runnable {
        @Override
        public void run() {
            if (!RELEASED.keep(address, length)) {
                unsafe.freeMemory(address);
            }
        }
    }

    /**
     * Zeroes every 4 KiB page of a block that does not already read as zero (reading an untouched page commits
     * nothing), on the calling thread and up to {@code readers - 1} more, each taking a share of the pages (the
     * calling thread takes the share of a thread that could not be started); returns only when all have stopped.
     *
     * @param unsafe the accessor
     * @param address the block, 4 KiB aligned or not
     * @param length its bytes, a multiple of 4 KiB
     * @param readers how many threads should read it, at least 1
     * @throws IllegalStateException when a helper thread failed (its share may not be cleared)
     */
    static void clearDirtyPages(sun.misc.Unsafe unsafe, long address, long length, int readers) {
        long pages = length / PAGE;
        List<Thread> helpers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (int share = 1; share < readers; share++) {
                long start = address + pages * share / readers * PAGE;
                long end = address + pages * (share + 1) / readers * PAGE;
                Thread helper = new Thread(() -> {
                    try {
                        clearRange(unsafe, start, end);
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
        clearRange(unsafe, address, address + pages / readers * PAGE);
        clearRange(unsafe, address + pages * (helpers.size() + 1) / readers * PAGE, address + length);
        joinUninterruptibly(helpers);
        if (failure.get() != null) {
            throw new IllegalStateException("clearing guest RAM failed", failure.get());
        }
    }

    /**
     * Zeroes those 4 KiB pages of a block that are in a set and do not already read as zero.
     *
     * @param unsafe the accessor
     * @param address the block, 4 KiB aligned or not
     * @param pages the pages to look at (page {@code k} starts at {@code address + k * 4096})
     */
    static void clearPages(sun.misc.Unsafe unsafe, long address, BitSet pages) {
        for (int page = pages.nextSetBit(0); page >= 0; page = pages.nextSetBit(page + 1)) {
            clearIfDirty(unsafe, address + page * PAGE);
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

    private static void clearRange(sun.misc.Unsafe unsafe, long start, long end) {
        for (long page = start; page < end; page += PAGE) {
            clearIfDirty(unsafe, page);
        }
    }

    private static void clearIfDirty(sun.misc.Unsafe unsafe, long page) {
        long bits = 0;
        for (long at = page; at < page + PAGE; at += Long.BYTES) {
            bits |= unsafe.getLong(at);
        }
        if (bits != 0) {
            unsafe.setMemory(page, PAGE, (byte) 0);
        }
    }

    @Override
    public AddressRange range() {
        return range;
    }

    @Override
    public long hostAddress() {
        return hostAddress;
    }

    @Override
    public long hostLength() {
        return hostLength;
    }

    /** The host address of a checked access (the block stays reachable through {@code this} until it is done). */
    private long at(long address, long length) {
        return hostAddress + FlatRam.checkedOffset(address, length, base, accessible, range);
    }

    @Override
    public int read8(long address) {
        int value = unsafe.getByte(at(address, 1)) & 0xff;
        Reference.reachabilityFence(this);
        return value;
    }

    @Override
    public int read16(long address) {
        int value = unsafe.getShort(at(address, 2)) & 0xffff;
        Reference.reachabilityFence(this);
        return value;
    }

    @Override
    public int read32(long address) {
        int value = unsafe.getInt(at(address, 4));
        Reference.reachabilityFence(this);
        return value;
    }

    @Override
    public long read64(long address) {
        long value = unsafe.getLong(at(address, 8));
        Reference.reachabilityFence(this);
        return value;
    }

    @Override
    public void write8(long address, int value) {
        unsafe.putByte(at(address, 1), (byte) value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void write16(long address, int value) {
        unsafe.putShort(at(address, 2), (short) value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void write32(long address, int value) {
        unsafe.putInt(at(address, 4), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void write64(long address, long value) {
        unsafe.putLong(at(address, 8), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        long from = at(address, length);
        Objects.checkFromIndexSize(offset, length, destination.length);
        unsafe.copyMemory(null, from, destination, BYTE_ARRAY_BASE + offset, length);
        Reference.reachabilityFence(this);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        long to = at(address, length);
        Objects.checkFromIndexSize(offset, length, source.length);
        unsafe.copyMemory(source, BYTE_ARRAY_BASE + offset, null, to, length);
        Reference.reachabilityFence(this);
    }
}
