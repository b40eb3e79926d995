package io.vmmlab.runtime.board;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.HostUnsafe;
import io.vmmlab.api.memory.OffHeapRam;

/**
 * Chooses how the board's RAM is held: outside the Java heap ({@link OffHeapRam}) wherever this JVM allows it
 * ({@link HostUnsafe#usable()}), else one Java array ({@link FlatRam}). RAM outside the heap is set up in a few
 * milliseconds whatever its size and committed page by page as the guest writes it, while an array costs about
 * 0.45 ms per MiB to allocate (the JVM zeroes it, a page fault per 4 KiB page: 60 ms of a 128 MiB guest's start-up),
 * all of its size in host memory at once, and must fit the JVM's heap. HotSpot orders each access outside its heap
 * against all other memory accesses, which costs some translated loops (and speeds others): the figures are in the
 * top-level README's Start-up.
 *
 * <p>The system property {@value #PROPERTY} overrides the choice: {@code heap} for the array, {@code off-heap} for
 * RAM outside the heap (where usable), to compare the two.
 */
final class RamAllocator {
    /** The system property that overrides the choice ({@code heap} or {@code off-heap}). */
    static final String PROPERTY = "vmmlab.ram";

    private RamAllocator() {
    }

    /**
     * Allocates zeroed RAM for the guest's part and the VMM's part after it.
     *
     * @param base first physical address
     * @param guestBytes the guest's RAM
     * @param vmmBytes the VMM's RAM after it
     * @return the RAM
     * @throws IllegalArgumentException when the size is refused or the host cannot provide that much memory
     */
    static GuestMemory allocate(long base, long guestBytes, long vmmBytes) {
        long size = guestBytes + vmmBytes;
        if (vmmBytes > 0 && guestBytes > 0 && guestBytes <= FlatRam.MAX_SIZE && size > FlatRam.MAX_SIZE) {
            throw new IllegalArgumentException(String.format(
                    "%d MiB of guest RAM and the %d MiB the strategy keeps for the VMM exceed the largest RAM, %d MiB",
                    guestBytes >> 20, vmmBytes >> 20, FlatRam.MAX_SIZE >> 20));
        }
        boolean offHeap = offHeap(System.getProperty(PROPERTY), HostUnsafe.usable());
        try {
            return offHeap ? new OffHeapRam(base, size) : new FlatRam(base, size);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(String.format("cannot allocate %d MiB of RAM: %s", size >> 20,
                    offHeap ? "the host refused the memory"
                            : "the JVM's heap is too small (raise it, as in VMM_JAVA_OPTS=-Xmx4g, or lower --mem)"));
        }
    }

    /**
     * Tells whether RAM goes outside the heap.
     *
     * @param choice the value of {@link #PROPERTY}, or null
     * @param usable whether this JVM allows RAM outside the heap ({@link HostUnsafe#usable()})
     * @return true for {@link OffHeapRam}
     */
    static boolean offHeap(String choice, boolean usable) {
        return usable && !"heap".equals(choice);
    }
}
