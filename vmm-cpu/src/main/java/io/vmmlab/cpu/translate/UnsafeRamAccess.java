package io.vmmlab.cpu.translate;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.util.Set;

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
 * <p>Used only where the JVM allows it quietly ({@link #permitted}): the memory-access methods of
 * {@code sun.misc.Unsafe} are deprecated for removal since JDK 23, which may warn about or refuse their use unless
 * started with {@code --sun-misc-unsafe-memory-access=allow} (the {@code vmm} launcher passes it), and on hosts
 * known to be little-endian (RISC-V's byte order) and to allow misaligned accesses, which guests may make: x86-64
 * and AArch64.
 */
final class UnsafeRamAccess {
    /** The system property through which the JVM publishes its {@code --sun-misc-unsafe-memory-access} setting. */
    static final String MEMORY_ACCESS_PROPERTY = "sun.misc.unsafe.memory.access";
    // Host architectures (os.arch) where plain loads and stores may be misaligned.
    private static final Set<String> MISALIGNED_ACCESS_HOSTS = Set.of("amd64", "x86_64", "aarch64");

    private static final sun.misc.Unsafe UNSAFE = unsafe();
    private static final long BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private UnsafeRamAccess() {
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Tells whether a JVM lets code use {@code sun.misc.Unsafe}'s memory-access methods without a warning: any JDK
     * before 23, and later ones started with {@code --sun-misc-unsafe-memory-access=allow}.
     *
     * @param feature the JVM's feature version ({@code Runtime.version().feature()})
     * @param memoryAccess the value of {@link #MEMORY_ACCESS_PROPERTY}, or null
     * @return true when the accessors may be used
     */
    static boolean permitted(int feature, String memoryAccess) {
        return feature < 23 || "allow".equals(memoryAccess);
    }

    /**
     * Tells whether this JVM may use these accessors ({@link #permitted}, a little-endian x86-64 or AArch64 host,
     * and the {@code jdk.unsupported} module present), trying one store and load on a scratch array.
     *
     * @return true when usable
     */
    static boolean usable() {
        if (UNSAFE == null || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN
                || !MISALIGNED_ACCESS_HOSTS.contains(System.getProperty("os.arch"))
                || !permitted(Runtime.version().feature(), System.getProperty(MEMORY_ACCESS_PROPERTY))) {
            return false;
        }
        try {
            byte[] scratch = new byte[Long.BYTES];
            sd(scratch, 0, 0x0102_0304_0506_0708L);
            return scratch[0] == 8 && ld(scratch, 0) == 0x0102_0304_0506_0708L;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Tells whether translated code may use these accessors on a RAM host array.
     *
     * @param usable whether this JVM may use them at all ({@link #usable})
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
