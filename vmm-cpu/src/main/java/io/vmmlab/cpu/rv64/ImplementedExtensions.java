package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.IsaSpec;

import java.util.Set;
import java.util.TreeSet;

/**
 * The ISA extensions this hart implements. An ISA string naming any other (Q, V, an unknown Z extension) is
 * refused when the hart is made: the guest would find it in {@code misa} and the device tree, then take an illegal
 * instruction trap at its first use. F and D are implemented but opt-in (the default ISA has neither); D needs F
 * (ISA manual, D extension: "depends on the single-precision floating-point extension F").
 */
public final class ImplementedExtensions {
    /** Single-letter extensions: the base, M, A, F, D, C and H (each but I optional). */
    static final String SINGLE_LETTER = "imafdch";
    /** Multi-letter extensions, with this framework's own x86-like hart for the fullvirt strategy's tests. */
    static final Set<String> MULTI_LETTER = Set.of("zicond", "zicsr", "zifencei", "zicntr", "zihintpause", "zba", "zbb",
            "zbc", "zbkb", "zbkc", "zbkx", "zbs", "zkn", "zknd", "zkne", "zknh", "zks", "zksed", "zksh", "sstc",
            LeakySensitiveCsr.EXTENSION);

    private ImplementedExtensions() {
    }

    /**
     * Checks an ISA against what the hart implements.
     *
     * @param isa the ISA asked for
     * @throws IllegalArgumentException when it names an extension the hart does not implement
     */
    public static void require(IsaSpec isa) {
        Set<String> missing = new TreeSet<>();
        for (char letter : isa.singleLetter().toCharArray()) {
            if (SINGLE_LETTER.indexOf(letter) < 0) {
                missing.add(String.valueOf(letter));
            }
        }
        for (String extension : isa.multiLetter()) {
            if (!MULTI_LETTER.contains(extension)) {
                missing.add(extension);
            }
        }
        if (isa.has('d') && !isa.has('f')) {
            throw new IllegalArgumentException("the D extension needs F: '" + isa + "' (write rv64imafdc, or rv64gc)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("this hart does not implement " + String.join(", ", missing)
                    + " (it implements " + String.join(", ", SINGLE_LETTER.split("")) + ", "
                    + String.join(", ", new TreeSet<>(MULTI_LETTER)) + ")");
        }
    }
}
