package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.HostUnsafe;

/**
 * The wider loads and stores of translated code as unchecked host accesses ({@code sun.misc.Unsafe}) to the RAM's
 * host array, with the same signatures as {@link RamAccess}'s. HotSpot compiles each to a single machine load or
 * store in every tier, where {@link RamAccess}'s {@code VarHandle} views are a chain of method-handle calls that its
 * first tier (C1) inlines and profiles at some cost: on bench.elf, with these the regions' C1 compile time fell from
 * 0.27 to 0.15 s and their C2 time from 0.50 to 0.38 s, which the JIT's warm-up feels (the run took 2.42 instead of
 * 2.46 s, and 2.49 instead of 2.51 s, in two windows of ten and twelve interleaved runs).
 *
 * <p>Nothing checks an index here, so the generator uses these only where no index can leave the array
 * ({@link #covers}): translated code masks every RAM index with an all-ones mask, and when the array extends at least
 * {@link Long#BYTES} past that mask (FlatRam's tail, for a RAM whose size is a power of two) every access of up to 8
 * bytes at any masked index lies inside it, whatever the guest or the TLB did. Elsewhere it uses {@link RamAccess}.
 *
 * <p>Used only where {@link HostUnsafe#usable()}: the JVM allows it quietly, on a little-endian host that allows
 * misaligned accesses.
 */
final class UnsafeRamAccess {
    private static final sun.misc.Unsafe UNSAFE = HostUnsafe.usable() ? HostUnsafe.unsafe() : null;
    private static final long BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private UnsafeRamAccess() {
    }

    /**
     * Tells whether translated code may use these accessors on a RAM host array.
     *
     * @param usable whether this JVM may use them at all ({@link HostUnsafe#usable()})
     * @param arrayLength the host array's length
     * @param mask the all-ones mask translated code applies to every RAM index
     * @return true when every access of up to 8 bytes at a masked index lies inside the array
     */
    static boolean covers(boolean usable, int arrayLength, int mask) {
        return usable && mask >= 0 && (long) mask + Long.BYTES <= arrayLength;
    }

    static long lh(byte[] ram, int index) {
        return UNSAFE.getShort(ram, BASE + index);
    }

    static long lhu(byte[] ram, int index) {
        return UNSAFE.getShort(ram, BASE + index) & 0xffffL;
    }

    static long lw(byte[] ram, int index) {
        return UNSAFE.getInt(ram, BASE + index);
    }

    static long lwu(byte[] ram, int index) {
        return UNSAFE.getInt(ram, BASE + index) & 0xffff_ffffL;
    }

    static long ld(byte[] ram, int index) {
        return UNSAFE.getLong(ram, BASE + index);
    }

    static void sh(byte[] ram, int index, long value) {
        UNSAFE.putShort(ram, BASE + index, (short) value);
    }

    static void sw(byte[] ram, int index, long value) {
        UNSAFE.putInt(ram, BASE + index, (int) value);
    }

    static void sd(byte[] ram, int index, long value) {
        UNSAFE.putLong(ram, BASE + index, value);
    }
}
