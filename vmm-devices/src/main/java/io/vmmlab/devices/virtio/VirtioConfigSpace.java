package io.vmmlab.devices.virtio;

/**
 * Reads a little-endian device configuration structure held in a byte array, for
 * {@link VirtioDeviceBackend#readConfig}.
 */
public final class VirtioConfigSpace {

    private VirtioConfigSpace() {
    }

    /**
     * Reads {@code size} bytes at {@code offset}; bytes beyond the structure read as zero.
     *
     * @param config the structure, little-endian
     * @param offset the first byte
     * @param size how many bytes, 1 to 8
     * @return the value, zero-extended
     */
    public static long read(byte[] config, int offset, int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            int position = offset + i;
            int octet = position >= 0 && position < config.length ? config[position] & 0xff : 0;
            value = (value << 8) | octet;
        }
        return value;
    }

    /**
     * Stores a little-endian value into a structure.
     *
     * @param config the structure
     * @param offset the first byte
     * @param size how many bytes, 1 to 8
     * @param value the value
     */
    public static void put(byte[] config, int offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            config[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
