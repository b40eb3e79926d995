package io.vmmlab.runtime.loader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An ELF string table (a section of NUL-terminated names) read from an image: each name is decoded once, whatever the
 * number of symbols that share it, and a name must end within {@link #MAX_NAME} bytes and inside the table, so a
 * corrupt file cannot make the loader build huge strings.
 */
final class StringTable {
    /** The longest name accepted, in bytes (Linux's longest symbols are a few hundred). */
    static final int MAX_NAME = 4096;

    private final String image;
    private final ByteBuffer file;
    private final int offset;
    private final int size;
    private final Map<Integer, String> names = new HashMap<>();

    /**
     * Wraps a table whose bounds lie inside the file (checked by the caller).
     *
     * @param image the image's name, for errors
     * @param file the whole file
     * @param offset the table's file offset
     * @param size its size in bytes
     */
    StringTable(String image, ByteBuffer file, int offset, int size) {
        this.image = image;
        this.file = file;
        this.offset = offset;
        this.size = size;
    }

    /**
     * Returns the name that starts at an index of the table.
     *
     * @param index the byte index, below the table's size
     * @return the name
     * @throws ImageException when no NUL ends it within the table and {@link #MAX_NAME} bytes
     */
    String at(int index) {
        String cached = names.get(index);
        if (cached != null) {
            return cached;
        }
        int limit = offset + (int) Math.min(size, (long) index + MAX_NAME + 1);
        int start = offset + index;
        int end = start;
        while (end < limit && file.get(end) != 0) {
            end++;
        }
        if (end == limit) {
            throw new ImageException(image + ": corrupt string table: a name at index " + index
                    + " is not terminated within " + MAX_NAME + " bytes");
        }
        byte[] text = new byte[end - start];
        file.get(start, text);
        String name = new String(text, StandardCharsets.UTF_8);
        names.put(index, name);
        return name;
    }
}
