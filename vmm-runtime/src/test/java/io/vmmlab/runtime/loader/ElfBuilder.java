package io.vmmlab.runtime.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small ELF64 little-endian files for tests: header, program headers, segment bytes and, when symbols are
 * given, a {@code .symtab}/{@code .strtab} pair with their section headers. Field offsets follow the System V ABI
 * ELF-64 object file format so tests can patch single fields afterwards.
 */
final class ElfBuilder {
    static final int HEADER_SIZE = 64;
    static final int PROGRAM_HEADER_SIZE = 56;
    static final int SECTION_HEADER_SIZE = 64;
    static final int SYMBOL_SIZE = 24;

    static final int E_CLASS = 4;
    static final int E_DATA = 5;
    static final int E_TYPE = 16;
    static final int E_MACHINE = 18;
    static final int E_ENTRY = 24;
    static final int E_PHOFF = 32;
    static final int E_SHOFF = 40;
    static final int E_PHENTSIZE = 54;
    static final int E_PHNUM = 56;
    static final int E_SHNUM = 60;

    static final int P_TYPE = 0;
    static final int P_OFFSET = 8;
    static final int P_PADDR = 24;
    static final int P_FILESZ = 32;
    static final int P_MEMSZ = 40;

    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;

    private long entry = 0x8000_0000L;
    private int type = 2;
    private int machine = 243;
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, SymbolEntry> symbols = new LinkedHashMap<>();

    /** A symbol table entry: st_info (binding and type), st_shndx, st_value, st_size. */
    private record SymbolEntry(int info, int section, long value, long size) {
    }

    private record Segment(int type, long physicalAddress, byte[] data, long memorySize) {
    }

    ElfBuilder entry(long value) {
        entry = value;
        return this;
    }

    ElfBuilder type(int value) {
        type = value;
        return this;
    }

    ElfBuilder machine(int value) {
        machine = value;
        return this;
    }

    ElfBuilder load(long physicalAddress, byte[] data, long memorySize) {
        segments.add(new Segment(PT_LOAD, physicalAddress, data, memorySize));
        return this;
    }

    ElfBuilder load(long physicalAddress, byte[] data) {
        return load(physicalAddress, data, data.length);
    }

    ElfBuilder note(byte[] data) {
        segments.add(new Segment(PT_NOTE, 0, data, 0));
        return this;
    }

    /** A global label (STT_NOTYPE) of size 0 in section 1. */
    ElfBuilder symbol(String name, long value) {
        return symbol(name, 0x10, 1, value, 0);
    }

    /** A global function (STT_FUNC) of {@code size} bytes in section 1. */
    ElfBuilder function(String name, long value, long size) {
        return symbol(name, 0x12, 1, value, size);
    }

    /** Any symbol: st_info, st_shndx, st_value, st_size. */
    ElfBuilder symbol(String name, int info, int section, long value, long size) {
        symbols.put(name, new SymbolEntry(info, section, value, size));
        return this;
    }

    /** Where program header {@code index} starts in the built file. */
    static int programHeader(int index) {
        return HEADER_SIZE + index * PROGRAM_HEADER_SIZE;
    }

    byte[] build() {
        int dataStart = HEADER_SIZE + segments.size() * PROGRAM_HEADER_SIZE;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long[] offsets = new long[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            offsets[i] = dataStart + body.size();
            body.writeBytes(segments.get(i).data());
        }
        long stringsOffset = 0;
        long symbolsOffset = 0;
        byte[] strings = new byte[0];
        byte[] table = new byte[0];
        if (!symbols.isEmpty()) {
            ByteArrayOutputStream stringBytes = new ByteArrayOutputStream();
            stringBytes.write(0);
            ByteBuffer symbolBytes = ByteBuffer.allocate((symbols.size() + 1) * SYMBOL_SIZE)
                    .order(ByteOrder.LITTLE_ENDIAN);
            symbolBytes.position(SYMBOL_SIZE); // symbol 0 is the null symbol
            for (Map.Entry<String, SymbolEntry> symbol : symbols.entrySet()) {
                SymbolEntry entry = symbol.getValue();
                symbolBytes.putInt(stringBytes.size()).put((byte) entry.info()).put((byte) 0)
                        .putShort((short) entry.section()).putLong(entry.value()).putLong(entry.size());
                stringBytes.writeBytes((symbol.getKey() + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            strings = stringBytes.toByteArray();
            table = symbolBytes.array();
            while (body.size() % 8 != 0) {
                body.write(0);
            }
            symbolsOffset = dataStart + body.size();
            body.writeBytes(table);
            stringsOffset = dataStart + body.size();
            body.writeBytes(strings);
            while (body.size() % 8 != 0) {
                body.write(0);
            }
        }
        long sectionsOffset = symbols.isEmpty() ? 0 : dataStart + body.size();
        int sectionCount = symbols.isEmpty() ? 0 : 3;
        ByteBuffer file = ByteBuffer.allocate(dataStart + body.size() + sectionCount * SECTION_HEADER_SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        file.position(E_TYPE);
        file.putShort((short) type).putShort((short) machine).putInt(1).putLong(entry)
                .putLong(segments.isEmpty() ? 0 : HEADER_SIZE).putLong(sectionsOffset).putInt(0)
                .putShort((short) HEADER_SIZE).putShort((short) PROGRAM_HEADER_SIZE)
                .putShort((short) segments.size()).putShort((short) SECTION_HEADER_SIZE)
                .putShort((short) sectionCount).putShort((short) 0);
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            file.putInt(segment.type()).putInt(7).putLong(offsets[i]).putLong(segment.physicalAddress())
                    .putLong(segment.physicalAddress()).putLong(segment.data().length)
                    .putLong(segment.memorySize()).putLong(0x1000);
        }
        file.put(body.toByteArray());
        if (sectionCount > 0) {
            file.put(new byte[SECTION_HEADER_SIZE]);
            section(file, 2, symbolsOffset, table.length, 2, SYMBOL_SIZE);
            section(file, 3, stringsOffset, strings.length, 0, 0);
        }
        return file.array();
    }

    private static void section(ByteBuffer file, int type, long offset, long size, int link, long entrySize) {
        file.putInt(0).putInt(type).putLong(0).putLong(0).putLong(offset).putLong(size).putInt(link).putInt(0)
                .putLong(8).putLong(entrySize);
    }

    static byte[] putShort(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        return bytes;
    }

    static byte[] putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return bytes;
    }

    static byte[] putLong(byte[] bytes, int at, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return bytes;
    }

    static long getLong(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
