package io.vmmlab.cpu.testing;

import io.vmmlab.api.memory.GuestMemory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A test helper: a minimal ELF64 little-endian reader (PT_LOAD segments and the symbol table). */
public final class ElfImage {
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;

    private final ByteBuffer bytes;
    private final long entry;
    private final Map<String, Long> symbols = new HashMap<>();

    private ElfImage(byte[] content) {
        this.bytes = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.getInt(0) != 0x464c457f || bytes.get(4) != 2) {
            throw new IllegalArgumentException("not an ELF64 file");
        }
        this.entry = bytes.getLong(24);
        readSymbols();
    }

    /**
     * Reads an ELF file.
     *
     * @param path the file
     * @return the image
     * @throws IOException when the file cannot be read
     */
    public static ElfImage read(Path path) throws IOException {
        return new ElfImage(Files.readAllBytes(path));
    }

    /** Returns the entry point. */
    public long entry() {
        return entry;
    }

    /**
     * Returns a symbol's value.
     *
     * @param name the symbol
     * @return its address, or -1 when absent
     */
    public long symbol(String name) {
        return symbols.getOrDefault(name, -1L);
    }

    /**
     * Copies every PT_LOAD segment into memory at its physical address and zero-fills the rest of it.
     *
     * @param memory the target RAM
     */
    public void load(GuestMemory memory) {
        long programHeaders = bytes.getLong(32);
        int entrySize = bytes.getShort(54) & 0xffff;
        int count = bytes.getShort(56) & 0xffff;
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * entrySize);
            if (bytes.getInt(header) != PT_LOAD) {
                continue;
            }
            long offset = bytes.getLong(header + 8);
            long physical = bytes.getLong(header + 24);
            long fileSize = bytes.getLong(header + 32);
            long memorySize = bytes.getLong(header + 40);
            memory.write(physical, bytes.array(), (int) offset, (int) fileSize);
            if (memorySize > fileSize) {
                memory.write(physical + fileSize, new byte[(int) (memorySize - fileSize)], 0,
                        (int) (memorySize - fileSize));
            }
        }
    }

    private void readSymbols() {
        long sectionHeaders = bytes.getLong(40);
        int entrySize = bytes.getShort(58) & 0xffff;
        int count = bytes.getShort(60) & 0xffff;
        for (int i = 0; i < count; i++) {
            int header = (int) (sectionHeaders + (long) i * entrySize);
            if (bytes.getInt(header + 4) != SHT_SYMTAB) {
                continue;
            }
            long offset = bytes.getLong(header + 24);
            long size = bytes.getLong(header + 32);
            int link = bytes.getInt(header + 40);
            long symbolSize = bytes.getLong(header + 56);
            int stringHeader = (int) (sectionHeaders + (long) link * entrySize);
            long strings = bytes.getLong(stringHeader + 24);
            for (long symbol = offset; symbol < offset + size; symbol += symbolSize) {
                int nameOffset = bytes.getInt((int) symbol);
                long value = bytes.getLong((int) symbol + 8);
                symbols.put(readString((int) (strings + nameOffset)), value);
            }
        }
    }

    private String readString(int offset) {
        StringBuilder text = new StringBuilder();
        for (int i = offset; bytes.get(i) != 0; i++) {
            text.append((char) bytes.get(i));
        }
        return text.toString();
    }
}
