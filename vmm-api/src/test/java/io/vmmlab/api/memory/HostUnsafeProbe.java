package io.vmmlab.api.memory;

/** Prints {@link HostUnsafe#usable()}, for HostUnsafeTest's child JVM (it must not refer to JUnit). */
public final class HostUnsafeProbe {
    private HostUnsafeProbe() {
    }

    /**
     * Prints whether sun.misc.Unsafe is usable.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("usable=" + HostUnsafe.usable());
    }
}
