package io.vmmlab.api.memory;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * {@code sun.misc.Unsafe}'s memory-access methods where the JVM and the host let VMMLab use them quietly and safely:
 * {@link OffHeapRam} keeps guest RAM outside the Java heap with them, and the translator of {@code vmm-cpu} reads and
 * writes RAM with them.
 *
 * <p>Those methods are deprecated for removal since JDK 23, which may warn about or refuse their use unless started
 * with {@code --sun-misc-unsafe-memory-access=allow} (the {@code vmm} launcher passes it). They are used only where
 * {@link #usable} says so: the JVM permits them ({@link #permitted}), the {@code jdk.unsupported} module is present,
 * and the host is known to be little-endian (RISC-V's byte order) and to allow misaligned accesses, which guests may
 * make (x86-64 and AArch64). Everything that uses them has a plain-Java path for the other cases.
 *
 * <p>On a JVM without the {@code jdk.unsupported} module this class still loads, and {@link #usable} is false.
 */
public final class HostUnsafe {
    /** The system property through which the JVM publishes its {@code --sun-misc-unsafe-memory-access} setting. */
    public static final String MEMORY_ACCESS_PROPERTY = "sun.misc.unsafe.memory.access";
    // Host architectures (os.arch) where plain loads and stores may be misaligned.
    private static final Set<String> MISALIGNED_ACCESS_HOSTS = Set.of("amd64", "x86_64", "aarch64");

    private static final sun.misc.Unsafe UNSAFE = find();
    private static final boolean USABLE = check();

    private HostUnsafe() {
    }

    private static sun.misc.Unsafe find() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // LinkageError: no jdk.unsupported module
        }
    }

    /**
     * Tells whether a JVM lets code use {@code sun.misc.Unsafe}'s memory-access methods without a warning: any JDK
     * before 23, and later ones started with {@code --sun-misc-unsafe-memory-access=allow}.
     *
     * @param feature the JVM's feature version ({@code Runtime.version().feature()})
     * @param memoryAccess the value of {@link #MEMORY_ACCESS_PROPERTY}, or null
     * @return true when the methods may be used
     */
    public static boolean permitted(int feature, String memoryAccess) {
        return feature < 23 || "allow".equals(memoryAccess);
    }

    private static boolean check() {
        if (UNSAFE == null || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN
                || !MISALIGNED_ACCESS_HOSTS.contains(System.getProperty("os.arch"))
                || !permitted(Runtime.version().feature(), System.getProperty(MEMORY_ACCESS_PROPERTY))) {
            return false;
        }
        try {
            byte[] scratch = new byte[Long.BYTES];
            UNSAFE.putLong(scratch, (long) sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET, 0x0102_0304_0506_0708L);
            return scratch[0] == 8
                    && UNSAFE.getLong(scratch, (long) sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET) == 0x0102_0304_0506_0708L;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Tells whether this JVM and host may use the methods (see the class comment); decided once, with one store and
     * load on a scratch array.
     *
     * @return true when usable
     */
    public static boolean usable() {
        return USABLE;
    }

    /**
     * Returns {@code sun.misc.Unsafe}.
     *
     * @return the instance
     * @throws IllegalStateException when not {@link #usable}
     */
    public static sun.misc.Unsafe unsafe() {
        if (!USABLE) {
            throw new IllegalStateException("sun.misc.Unsafe's memory access is not usable on this JVM");
        }
        return UNSAFE;
    }
}
