package io.vmmlab.cpu.testing;

/**
 * Little-endian loads and stores on a byte array, byte by byte: the reference models' RAM ({@link ReferenceModel},
 * the fuzz campaign's {@code FuzzReference}), kept apart from the hart's own RAM accessors.
 */
public final class ReferenceBytes {
    private ReferenceBytes() {
    }

    /**
     * Reads a little-endian value.
     *
     * @param memory the bytes
     * @param offset the first byte's index
     * @param size bytes to read, 1 to 8
     * @return the value, zero-extended
     */
    public static long read(byte[] memory, int offset, int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | (memory[offset + i] & 0xff);
        }
        return value;
    }

    /**
     * Writes the low bytes of a value, little-endian.
     *
     * @param memory the bytes
     * @param offset the first byte's index
     * @param size bytes to write, 1 to 8
     * @param value the value
     */
    public static void write(byte[] memory, int offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            memory[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
