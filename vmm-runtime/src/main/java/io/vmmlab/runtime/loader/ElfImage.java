package io.vmmlab.runtime.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed 64-bit little-endian RISC-V ELF executable (System V ABI, ELF-64 object file format): its entry, its
 * loadable segments and its symbols. Every offset and size read from the file is checked against the file's
 * length, so a truncated or corrupt file is an {@link ImageException}, never an exception from deep inside.
 */
public final class ElfImage {
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int EM_RISCV = 243;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;
    private static final int STT_NOTYPE = 0;
    private static final int STT_FUNC = 2;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;

    private final String name;
    private final long entry;
    private final List<Segment> segments;
    private final Map<String, Long> symbols;
    private final SymbolTable code;

    private ElfImage(String name, long entry, List<Segment> segments, Map<String, Long> symbols, SymbolTable code) {
        this.name = name;
        this.entry = entry;
        this.segments = List.copyOf(segments);
        this.symbols = Map.copyOf(symbols);
        this.code = code;
    }

    /**
     * Tells whether bytes start with the ELF magic.
     *
     * @param bytes file contents
     * @return true for an ELF file of any kind
     */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /**
     * Parses an ELF file.
     *
     * @param name the file name, for messages
     * @param bytes the file contents
     * @return the image
     * @throws ImageException when the file is not a usable RV64 executable
     */
    public static ElfImage parse(String name, byte[] bytes) {
        if (!isElf(bytes)) {
            throw new ImageException(name + ": not an ELF file");
        }
        if (bytes.length < 64) {
            throw new ImageException(name + ": truncated ELF header (" + bytes.length + " bytes)");
        }
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[4] != ELFCLASS64) {
            throw new ImageException(name + ": not a 64-bit ELF file (RV64 needs ELFCLASS64)");
        }
        if (bytes[5] != ELFDATA2LSB) {
            throw new ImageException(name + ": not a little-endian ELF file");
        }
        int type = file.getShort(16) & 0xffff;
        int machine = file.getShort(18) & 0xffff;
        if (machine != EM_RISCV) {
            throw new ImageException(name + ": ELF machine " + machine + " is not RISC-V (243)");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ImageException(name + ": ELF type " + type + " is not an executable");
        }
        long entry = file.getLong(24);
        List<Segment> segments = readSegments(name, file);
        if (segments.isEmpty()) {
            throw new ImageException(name + ": ELF file has no loadable segment");
        }
        Map<String, Long> symbols = new HashMap<>();
        List<SymbolTable.Symbol> code = new ArrayList<>();
        readSymbols(name, file, symbols, code);
        return new ElfImage(name, entry, segments, symbols, SymbolTable.of(code));
    }

    private static List<Segment> readSegments(String name, ByteBuffer file) {
        long headerOffset = file.getLong(32);
        int headerSize = file.getShort(54) & 0xffff;
        int count = file.getShort(56) & 0xffff;
        checkTable(name, file, headerOffset, headerSize, count, 56, "program header");
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = (int) headerOffset + i * headerSize;
            if (file.getInt(at) != PT_LOAD) {
                continue;
            }
            long offset = file.getLong(at + 8);
            long physicalAddress = file.getLong(at + 24);
            long fileSize = file.getLong(at + 32);
            long memorySize = file.getLong(at + 40);
            if (Long.compareUnsigned(fileSize, memorySize) > 0) { // sizes are unsigned: 0xffffffffffffffff is no -1
                throw new ImageException(String.format("%s: segment %d has file size 0x%x above memory size 0x%x",
                        name, i, fileSize, memorySize));
            }
            if (offset < 0 || fileSize < 0 || offset + fileSize < offset) { // beyond any file: corrupt, not short
                throw new ImageException(String.format("%s: corrupt: segment %d has offset 0x%x and file size 0x%x",
                        name, i, offset, fileSize));
            }
            if (offset + fileSize > file.capacity()) {
                throw new ImageException(String.format(
                        "%s: truncated: segment %d needs bytes up to 0x%x, file has 0x%x", name, i,
                        offset + fileSize, file.capacity()));
            }
            if (memorySize != 0) { // one with the top bit set is refused below as running past the end
                segments.add(new Segment(physicalAddress, offset, fileSize, memorySize));
            }
        }
        requireDisjoint(name, segments);
        return segments;
    }

    /** Two segments loaded over each other: which one's bytes the kernel gets would depend on the loading order. */
    private static void requireDisjoint(String name, List<Segment> segments) {
        List<Segment> byAddress = new ArrayList<>(segments);
        byAddress.sort((a, b) -> Long.compareUnsigned(a.physicalAddress(), b.physicalAddress()));
        for (Segment segment : byAddress) {
            long end = segment.physicalAddress() + segment.memorySize();
            if (segment.memorySize() < 0 || end != 0 && Long.compareUnsigned(end, segment.physicalAddress()) < 0) {
                throw new ImageException(String.format("%s: corrupt: segment at 0x%x (0x%x bytes) runs past the end "
                        + "of the address space", name, segment.physicalAddress(), segment.memorySize()));
            }
        }
        for (int i = 1; i < byAddress.size(); i++) {
            Segment low = byAddress.get(i - 1);
            Segment high = byAddress.get(i);
            long lowEnd = low.physicalAddress() + low.memorySize();
            boolean wraps = lowEnd == 0; // ends at 2^64: anything above it overlaps
            if (wraps || Long.compareUnsigned(lowEnd, high.physicalAddress()) > 0) {
                throw new ImageException(String.format("%s: segments at 0x%x (0x%x bytes) and 0x%x overlap", name,
                        low.physicalAddress(), low.memorySize(), high.physicalAddress()));
            }
        }
    }

    /** Reads every symbol's value by name, and the code symbols (functions and labels defined in a section). */
    private static void readSymbols(String name, ByteBuffer file, Map<String, Long> symbols,
                                    List<SymbolTable.Symbol> code) {
        long sectionOffset = file.getLong(40);
        int sectionSize = file.getShort(58) & 0xffff;
        int count = file.getShort(60) & 0xffff;
        if (sectionOffset == 0 || count == 0) {
            return;
        }
        checkTable(name, file, sectionOffset, sectionSize, count, 64, "section header");
        for (int i = 0; i < count; i++) {
            int at = (int) sectionOffset + i * sectionSize;
            if (file.getInt(at + 4) == SHT_SYMTAB) {
                readSymbolTable(name, file, at, sectionOffset, sectionSize, count, symbols, code);
            }
        }
    }

    /** Reads one symbol table, whose section header is at a file offset. */
    private static void readSymbolTable(String name, ByteBuffer file, int at, long sectionOffset, int sectionSize,
                                        int count, Map<String, Long> symbols, List<SymbolTable.Symbol> code) {
        long tableOffset = file.getLong(at + 24);
        long tableSize = file.getLong(at + 32);
        int link = file.getInt(at + 40);
        long entrySize = file.getLong(at + 56);
        if (link < 0 || link >= count || entrySize < 24 || entrySize > Integer.MAX_VALUE) {
            throw new ImageException(name + ": corrupt symbol table header");
        }
        int stringsAt = (int) sectionOffset + link * sectionSize;
        if (file.getInt(stringsAt + 4) != SHT_STRTAB) {
            throw new ImageException(name + ": corrupt symbol table header");
        }
        long stringsOffset = file.getLong(stringsAt + 24);
        long stringsSize = file.getLong(stringsAt + 32);
        checkRange(name, file, tableOffset, tableSize, "symbol table");
        checkRange(name, file, stringsOffset, stringsSize, "string table");
        StringTable strings = new StringTable(name, file, (int) stringsOffset, (int) stringsSize);
        long entries = tableSize / entrySize;
        for (long i = 0; i < entries; i++) {
            int entry = (int) (tableOffset + i * entrySize);
            long nameOffset = file.getInt(entry) & 0xffff_ffffL;
            if (nameOffset != 0 && nameOffset < stringsSize) {
                String symbol = strings.at((int) nameOffset);
                long value = file.getLong(entry + 8);
                symbols.putIfAbsent(symbol, value);
                int type = file.get(entry + 4) & 0xf;
                int section = file.getShort(entry + 6) & 0xffff;
                if ((type == STT_FUNC || type == STT_NOTYPE) && section != SHN_UNDEF && section < SHN_LORESERVE
                        && SymbolTable.isCodeName(symbol)) {
                    code.add(new SymbolTable.Symbol(symbol, value, file.getLong(entry + 16), type == STT_FUNC));
                }
            }
        }
    }

    private static void checkTable(String name, ByteBuffer file, long offset, int entrySize, int count,
                                   int minimumEntrySize, String what) {
        if (count > 0 && entrySize < minimumEntrySize) {
            throw new ImageException(name + ": corrupt ELF " + what + " size " + entrySize);
        }
        checkRange(name, file, offset, (long) entrySize * count, what + " table");
    }

    private static void checkRange(String name, ByteBuffer file, long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset + size > file.capacity() || offset + size < offset) {
            throw new ImageException(String.format("%s: truncated: %s at 0x%x+0x%x lies past the end (0x%x bytes)",
                    name, what, offset, size, file.capacity()));
        }
    }

    /**
     * Returns the file name given at parse time.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the entry point.
     *
     * @return the entry address
     */
    public long entry() {
        return entry;
    }

    /**
     * Returns the loadable segments.
     *
     * @return an immutable list
     */
    public List<Segment> segments() {
        return segments;
    }

    /**
     * Returns the file's code symbols by address, to name where an address falls (empty without a symbol table).
     *
     * @return the table
     */
    public SymbolTable codeSymbols() {
        return code;
    }

    /**
     * Looks up a symbol's value.
     *
     * @param symbol the symbol name, such as {@code "tohost"}
     * @return its value, or empty when the file has no such symbol
     */
    public Optional<Long> symbol(String symbol) {
        return Optional.ofNullable(symbols.get(symbol));
    }

    /**
     * One PT_LOAD segment.
     *
     * @param physicalAddress where it goes in guest physical memory
     * @param fileOffset where its bytes start in the file
     * @param fileSize bytes taken from the file
     * @param memorySize bytes occupied in memory; the rest is zero
     */
    public record Segment(long physicalAddress, long fileOffset, long fileSize, long memorySize) {
    }
}
