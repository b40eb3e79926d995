package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.HostUnsafe;
import io.vmmlab.api.memory.OffHeapMemory;

/**
 * The loads and stores of translated code on RAM outside the Java heap ({@link OffHeapMemory}): unchecked host
 * accesses at an absolute address, which HotSpot compiles to a single machine load or store in every tier. The
 * generator computes the address as the RAM's host address (a constant of the region's class) plus the RAM index
 * masked with the smallest all-ones mask covering the RAM; {@link OffHeapMemory#hostLength()} extends at least
 * {@link Long#BYTES} past that mask ({@link #covers}), so no access of up to 8 bytes leaves the RAM's block whatever
 * the guest or the TLB did.
 *
 * <p>Every method's first argument is the address; the class initializer of a region calls each once before the
 * region runs (see {@link StaticCalls}), with {@link #scratch()} as the address.
 */
final class OffHeapRamAccess {
    private static final sun.misc.Unsafe UNSAFE = HostUnsafe.usable() ? HostUnsafe.unsafe() : null;
    // Eight bytes for the JVM's lifetime, where the resolving calls of StaticCalls load and store.
    private static final long SCRATCH = UNSAFE != null ? UNSAFE.allocateMemory(Long.BYTES) : 0;

    private OffHeapRamAccess() {
    }

    /**
     * Tells whether translated code may reach an off-heap RAM through these accessors.
     *
     * @param usable whether this JVM may use them at all ({@link HostUnsafe#usable()})
     * @param hostLength the RAM block's length ({@link OffHeapMemory#hostLength()})
     * @param mask the all-ones mask translated code applies to every RAM index
     * @return true when every access of up to 8 bytes at a masked index lies inside the block
     */
    static boolean covers(boolean usable, long hostLength, int mask) {
        return usable && mask >= 0 && (long) mask + Long.BYTES <= hostLength;
    }

    /**
     * Returns the address of eight scratch bytes, for calls whose effect does not matter.
     *
     * @return the address
     */
    static long scratch() {
        return SCRATCH;
    }

    static long lb(long address) {
        return UNSAFE.getByte(address);
    }

    static long lbu(long address) {
        return UNSAFE.getByte(address) & 0xffL;
    }

    static long lh(long address) {
        return UNSAFE.getShort(address);
    }

    static long lhu(long address) {
        return UNSAFE.getShort(address) & 0xffffL;
    }

    static long lw(long address) {
        return UNSAFE.getInt(address);
    }

    static long lwu(long address) {
        return UNSAFE.getInt(address) & 0xffff_ffffL;
    }

    static long ld(long address) {
        return UNSAFE.getLong(address);
    }

    static void sb(long address, long value) {
        UNSAFE.putByte(address, (byte) value);
    }

    static void sh(long address, long value) {
        UNSAFE.putShort(address, (short) value);
    }

    static void sw(long address, long value) {
        UNSAFE.putInt(address, (int) value);
    }

    static void sd(long address, long value) {
        UNSAFE.putLong(address, value);
    }
}
