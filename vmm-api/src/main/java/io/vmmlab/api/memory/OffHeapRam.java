package io.vmmlab.api.memory;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * Guest RAM outside the Java heap, whose pages the host commits only when the guest first writes them, as a
 * hypervisor's anonymous mapping does: a guest that boots in 40 MiB of its 2 GiB costs the host about 40 MiB, and
 * setting the RAM up takes a fraction of the time that allocating (and so zeroing) a Java array of its size does
 * (measured in the top-level README's Start-up). Reads and writes are bounds-checked like {@link FlatRam}'s, so nothing
 * outside the RAM is reachable through them.
 *
 * <p>The memory comes from {@code Unsafe.allocateMemory}, which the C library serves with a fresh anonymous mapping
 * for large blocks, or from a block an earlier RAM gave back ({@link OffHeapBlocks}); the guest must see zeroes
 * whatever the allocator or the earlier guest did, so the constructor reads every page that may hold data and clears
 * any that is not zero ({@link BlockClearing}). On Linux the kernel tells which pages those are ({@link HostPageMap}:
 * none but the allocator's header page of a fresh mapping); elsewhere every page is read, which maps the kernel's
 * shared zero page where untouched (no memory committed, but a page fault per page).
 *
 * <p>Beyond the RAM, the block reserves up to the next power of two of its size plus 8 bytes ({@link #hostLength()}),
 * so that translated code, which masks its offsets with a power of two minus one, cannot reach outside the block
 * whatever the offset; no guest access reaches those bytes (the hart's TLB and range checks keep every access inside
 * the RAM before the mask applies), and they are cleared like the RAM (untouched, they cost nothing). The whole
 * reservation counts as committed where the host does not overcommit memory ({@code vm.overcommit_memory=2},
 * {@code ulimit -v}).
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
    private static final long BYTE_ARRAY_BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private final sun.misc.Unsafe unsafe;
    private final AddressRange range;
    private final long base;
    private final long hostAddress;
    private final long hostLength;
    private final Cleaner.Cleanable release;
    // The bytes the accessors allow: the size, 0 once released.
    private long accessible;

    /**
     * Allocates zeroed RAM, with a block given back by an earlier RAM of this JVM where one of the right length is kept
     * ({@link OffHeapBlocks#SHARED}).
     *
     * @param base first physical address
     * @param size bytes, a multiple of 4 KiB, at most {@link FlatRam#MAX_SIZE}
     * @throws IllegalStateException when {@link HostUnsafe#usable()} is false
     * @throws OutOfMemoryError when the host refuses the block
     */
    public OffHeapRam(long base, long size) {
        this(base, size, OffHeapBlocks.SHARED);
    }

    /**
     * Allocates zeroed RAM, with a block from the given blocks where one of the right length is kept, and gives its
     * block back to them.
     *
     * @param base first physical address
     * @param size bytes, a multiple of 4 KiB, at most {@link FlatRam#MAX_SIZE}
     * @param blocks where released blocks are kept
     */
    OffHeapRam(long base, long size, OffHeapBlocks blocks) {
        FlatRam.checkSize(size);
        this.unsafe = HostUnsafe.unsafe();
        this.range = new AddressRange(base, size);
        this.base = base;
        long reservation = Long.highestOneBit(size - 1) * 2; // the mask's power of two, a multiple of 4 KiB
        this.hostLength = reservation + Long.BYTES;
        long kept = blocks.take(hostLength);
        this.hostAddress = kept != 0 ? kept : unsafe.allocateMemory(hostLength);
        try {
            // All of it, not only the RAM: a kept block may come from a larger RAM of the same power of two.
            BlockClearing.forThisProcess(unsafe).clear(hostAddress, reservation);
            unsafe.putLong(hostAddress + reservation, 0);
        } catch (RuntimeException | Error e) {
            unsafe.freeMemory(hostAddress); // every reader has stopped: clearing returns only then
            throw e;
        }
        this.accessible = size;
        this.release = CLEANER.register(this, new Release(unsafe, hostAddress, hostLength, blocks));
    }

    /**
     * Gives the block back at once, for the next {@link OffHeapRam} of this length in this JVM (or to the host),
     * instead of when the RAM becomes unreachable. This RAM's accessors then fail as for an address outside it, and
     * {@link #hostAddress()} fails. Only for when nothing runs on the RAM any more, as at the end of a VM (harts
     * stopped, devices closed): whatever kept its host address must not use it after this. Calling it again does
     * nothing.
     */
    public void release() {
        accessible = 0;
        release.clean();
    }

    /** Keeps or frees the block once its RAM is released or unreachable (it must not refer to the RAM itself). */
    private record Release(sun.misc.Unsafe unsafe, long address, long length, OffHeapBlocks blocks)
            implements Runnable {
        @Override
        public void run() {
            for (OffHeapBlocks.Block dropped : blocks.keep(address, length)) {
                unsafe.freeMemory(dropped.address());
            }
        }
    }

    @Override
    public AddressRange range() {
        return range;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException once the RAM is released
     */
    @Override
    public long hostAddress() {
        if (accessible == 0) {
            throw new IllegalStateException("guest RAM " + range + " has been released");
        }
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
