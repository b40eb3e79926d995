package io.vmmlab.api.cpu;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instruction-set extensions a hart implements, parsed from an ISA string such as {@code rv64imac},
 * {@code rv64imac_zicsr_zifencei_sstc} or {@code rv64imac_h} (ISA manual, chapter "ISA Extension Naming
 * Conventions"). Zicsr, Zifencei and Zicntr are always implied, since every hart of this framework has them; Zkn and
 * Zks bring the extensions they stand for.
 * Single-letter extensions are kept in canonical order; multi-letter ones in alphabetical order, and the canonical
 * string lists them Z first (by category, then alphabetically), then S, then X.
 *
 * @param xlen register width in bits; only 64 is supported
 * @param singleLetter single-letter extensions, lowercase, in canonical order (such as {@code "imac"})
 * @param multiLetter multi-letter extensions, lowercase (such as {@code "sstc"})
 */
public record IsaSpec(int xlen, String singleLetter, Set<String> multiLetter) {
    private static final String CANONICAL_ORDER = "iemafdqlcbkjtpvh";
    private static final Set<String> IMPLIED = Set.of("zicsr", "zifencei", "zicntr");
    /**
     * Shorthands for sets of extensions (ISA manual, "Scalar Cryptography Extensions": Zkn, Zks): the string keeps
     * the shorthand and gains each extension it stands for, as QEMU lists them in the device tree. (Zk also holds Zkr
     * and Zkt, which no hart here has; it is left to the hart's own check to refuse.)
     */
    private static final Map<String, List<String>> SHORTHANDS = Map.of(
            "zkn", List.of("zbkb", "zbkc", "zbkx", "zkne", "zknd", "zknh"),
            "zks", List.of("zbkb", "zbkc", "zbkx", "zksed", "zksh"));

    /** Checks the values, adds what each shorthand stands for and freezes the set. */
    public IsaSpec {
        if (xlen != 64) {
            throw new IllegalArgumentException("only RV64 is supported, not RV" + xlen);
        }
        TreeSet<String> expanded = new TreeSet<>(multiLetter);
        for (String name : multiLetter) {
            expanded.addAll(SHORTHANDS.getOrDefault(name, List.of()));
        }
        multiLetter = Collections.unmodifiableSortedSet(expanded);
    }

    /**
     * Parses an ISA string. The {@code g} shorthand is expanded to {@code imafd}.
     *
     * @param text such as {@code "rv64imac_sstc"}
     * @return the spec
     * @throws IllegalArgumentException with a one-line reason when the string is malformed
     */
    public static IsaSpec parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("rv64")) {
            throw new IllegalArgumentException("ISA string must start with rv64: '" + text + "'");
        }
        String[] parts = lower.substring(4).split("_", -1);
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("ISA string has no base extension: '" + text + "'");
        }
        StringBuilder letters = new StringBuilder();
        Set<String> multi = new TreeSet<>(IMPLIED);
        Set<String> named = new HashSet<>();
        for (char letter : parts[0].replace("g", "imafd").toCharArray()) {
            addLetter(text, letters, letter);
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty extension in ISA string: '" + text + "'");
            } else if (part.length() == 1) {
                addLetter(text, letters, part.charAt(0));
            } else if (part.charAt(0) == 'z' || part.charAt(0) == 's' || part.charAt(0) == 'x') {
                if (!named.add(part)) {
                    throw twice(text, part);
                }
                multi.add(part);
            } else {
                throw new IllegalArgumentException("unknown extension '" + part + "' in ISA string '" + text + "'");
            }
        }
        if (letters.indexOf("i") < 0 && letters.indexOf("e") < 0) {
            throw new IllegalArgumentException("ISA string needs the I base: '" + text + "'");
        }
        StringBuilder ordered = new StringBuilder();
        for (char letter : CANONICAL_ORDER.toCharArray()) {
            if (letters.indexOf(String.valueOf(letter)) >= 0) {
                ordered.append(letter);
            }
        }
        return new IsaSpec(64, ordered.toString(), multi);
    }

    private static void addLetter(String text, StringBuilder letters, char letter) {
        if (CANONICAL_ORDER.indexOf(letter) < 0) {
            throw new IllegalArgumentException("unknown extension '" + letter + "' in ISA string '" + text + "'");
        }
        if (letters.indexOf(String.valueOf(letter)) >= 0) {
            throw twice(text, String.valueOf(letter));
        }
        letters.append(letter);
    }

    /** An extension named twice ({@code rv64imaac}, {@code rv64gm}: G holds M) is a mistake worth telling. */
    private static IllegalArgumentException twice(String text, String extension) {
        String base = text.trim().toLowerCase(Locale.ROOT).substring(4).split("_", -1)[0];
        return new IllegalArgumentException("extension '" + extension + "' appears twice in ISA string '" + text
                + "'" + (base.contains("g") && "imafd".contains(extension) ? " (g stands for imafd)" : ""));
    }

    /**
     * Tells whether a single-letter extension is present.
     *
     * @param extension such as {@code 'c'} or {@code 'h'}
     * @return true when present
     */
    public boolean has(char extension) {
        return singleLetter.indexOf(Character.toLowerCase(extension)) >= 0;
    }

    /**
     * Tells whether a multi-letter extension is present.
     *
     * @param extension such as {@code "sstc"}
     * @return true when present
     */
    public boolean has(String extension) {
        return multiLetter.contains(extension.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the {@code misa} extension bits (bit 0 = A ... bit 25 = Z) for this ISA, without MXL.
     *
     * @return the extension mask
     */
    public long misaExtensions() {
        long bits = 0;
        for (char letter : singleLetter.toCharArray()) {
            bits |= 1L << (letter - 'a');
        }
        return bits;
    }

    /**
     * Returns the canonical string, as written into the device tree's {@code riscv,isa}.
     *
     * @return such as {@code "rv64imac_zicntr_zicsr_zifencei_sstc"}
     */
    public String canonical() {
        StringBuilder text = new StringBuilder("rv64").append(singleLetter);
        // ISA manual, "ISA Extension Naming Conventions": Z extensions, then S extensions, then X extensions; Z ones
        // by category first (the letter after the Z, in the single-letter extensions' canonical order: Zicsr
        // before Zba), then alphabetically; the others alphabetically.
        for (int category = 0; category <= CANONICAL_ORDER.length(); category++) {
            for (String extension : multiLetter) { // alphabetical already
                if (extension.charAt(0) == 'z' && zCategory(extension) == category) {
                    text.append('_').append(extension);
                }
            }
        }
        for (char prefix : new char[] {'s', 'x'}) {
            for (String extension : multiLetter) {
                if (extension.charAt(0) == prefix) {
                    text.append('_').append(extension);
                }
            }
        }
        return text.toString();
    }

    /** A Z extension's category rank: its second letter's place in the canonical order (unknown letters last). */
    private static int zCategory(String extension) {
        int rank = extension.length() > 1 ? CANONICAL_ORDER.indexOf(extension.charAt(1)) : -1;
        return rank < 0 ? CANONICAL_ORDER.length() : rank;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
