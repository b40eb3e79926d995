package io.vmmlab.runtime.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The code symbols of an ELF file (functions, and the untyped labels of assembly code), by address, to name the
 * place an address falls in: {@code handle_exception+0x1c}. Section, file, absolute and local assembler symbols
 * ({@code .L...}, RISC-V's {@code $x}/{@code $d} mapping symbols) are left out.
 */
public final class SymbolTable {
    /** How far past an untyped label (which has no size) an address still counts as its. */
    static final long LABEL_REACH = 0x1_0000;
    private static final SymbolTable EMPTY = new SymbolTable(new long[0], new long[0], new String[0]);

    private final long[] addresses;
    private final long[] sizes;
    private final String[] names;

    private SymbolTable(long[] addresses, long[] sizes, String[] names) {
        this.addresses = addresses;
        this.sizes = sizes;
        this.names = names;
    }

    /**
     * Returns a table with no symbols.
     *
     * @return the empty table
     */
    public static SymbolTable empty() {
        return EMPTY;
    }

    /**
     * Builds a table; at an address several symbols share, the first function is kept (else the first label).
     *
     * @param symbols the code symbols
     * @return the table
     */
    public static SymbolTable of(List<Symbol> symbols) {
        List<Symbol> sorted = new ArrayList<>(symbols);
        sorted.sort((a, b) -> {
            int byAddress = Long.compareUnsigned(a.address(), b.address());
            return byAddress != 0 ? byAddress : Boolean.compare(b.function(), a.function());
        });
        long[] addresses = new long[sorted.size()];
        long[] sizes = new long[sorted.size()];
        String[] names = new String[sorted.size()];
        int count = 0;
        for (Symbol symbol : sorted) {
            if (count > 0 && addresses[count - 1] == symbol.address()) {
                continue;
            }
            addresses[count] = symbol.address();
            sizes[count] = symbol.size();
            names[count] = symbol.name();
            count++;
        }
        return new SymbolTable(Arrays.copyOf(addresses, count), Arrays.copyOf(sizes, count),
                Arrays.copyOf(names, count));
    }

    /**
     * Reads the code symbols of an ELF file.
     *
     * @param file the file
     * @param required whether a file that is not an ELF file is an error (else its table is empty)
     * @return its table, empty when it has no symbol table
     * @throws ImageException when the file cannot be read, or is a corrupt ELF file (or not one, if required)
     */
    public static SymbolTable read(Path file, boolean required) {
        byte[] bytes = ImageLoader.read(file);
        if (!ElfImage.isElf(bytes)) {
            if (required) {
                throw new ImageException(BundledGuests.displayName(file) + ": not an ELF file (symbols come from "
                        + "an ELF file, such as Linux's vmlinux)");
            }
            return EMPTY;
        }
        return ElfImage.parse(BundledGuests.displayName(file), bytes).codeSymbols();
    }

    /**
     * Tells whether a symbol name is one this table keeps.
     *
     * @param name the name
     * @return false for local assembler labels and mapping symbols
     */
    static boolean isCodeName(String name) {
        return !name.isEmpty() && !name.startsWith(".L") && !name.startsWith("$");
    }

    /**
     * Returns how many symbols the table holds.
     *
     * @return the count
     */
    public int size() {
        return addresses.length;
    }

    /**
     * Names the place an address falls in: the symbol at or below it, and the offset from it; nothing when no
     * symbol lies below, the address is past a function's end, or it is more than {@link #LABEL_REACH} past a label.
     *
     * @param address a code address
     * @return such as {@code "handle_exception+0x1c"}, or {@code "main"} at the symbol itself
     */
    public Optional<String> nameOf(long address) {
        int found = indexOf(address);
        if (found < 0) {
            return Optional.empty();
        }
        long offset = address - addresses[found];
        return Optional.of(offset == 0 ? names[found] : names[found] + "+0x" + Long.toHexString(offset));
    }

    /**
     * Returns the symbol an address falls in, as {@link #nameOf} finds it, without the offset.
     *
     * @param address a code address
     * @return such as {@code "handle_exception"}
     */
    public Optional<String> symbolOf(long address) {
        int found = indexOf(address);
        return found < 0 ? Optional.empty() : Optional.of(names[found]);
    }

    /** The index of the symbol an address falls in, or -1. */
    private int indexOf(long address) {
        int low = 0;
        int high = addresses.length - 1;
        int found = -1;
        while (low <= high) { // the last symbol at or below the address, unsigned
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(addresses[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0) {
            return -1;
        }
        long offset = address - addresses[found];
        long reach = sizes[found] > 0 ? sizes[found] : LABEL_REACH;
        return Long.compareUnsigned(offset, reach) < 0 ? found : -1;
    }

    /**
     * One code symbol.
     *
     * @param name its name
     * @param address its value
     * @param size its size in bytes (0 for a label)
     * @param function whether it is a function (STT_FUNC) rather than a label (STT_NOTYPE)
     */
    public record Symbol(String name, long address, long size, boolean function) {
    }
}
