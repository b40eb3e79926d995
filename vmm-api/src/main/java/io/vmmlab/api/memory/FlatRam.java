package io.vmmlab.api.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest RAM as one flat host array, read little-endian through {@link VarHandle} views, with no allocation per
 * access. Every access is bounds-checked against the guest's range, so nothing outside the array is reachable.
 * Sizes up to 2 GiB minus a little are supported, which covers the board's {@code --mem} range.
 *
 * <p>The array is {@link #TAIL} bytes longer than the RAM. No guest address reaches the tail; it is there for
 * translated code, which masks its RAM indices with a power of two minus one: with the tail, an access of up to
 * 8 bytes at any masked index of a power-of-two RAM lies inside the array, so HotSpot omits the bounds check.
 */
public final class FlatRam implements ArrayBackedMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes the array has past the RAM's end. */
    public static final int TAIL = 8;
    /** The largest RAM whose array (with its tail) a JVM reliably allocates. */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 8 - TAIL & ~0xfffL;

    private final AddressRange range;
    private final long base;
    private final long size;
    private final byte[] bytes;

    /**
     * Allocates zeroed RAM.
     *
     * @param base first physical address
     * @param size bytes, a multiple of 4 KiB, at most {@link #MAX_SIZE}
     */
    public FlatRam(long base, long size) {
        checkSize(size);
        this.range = new AddressRange(base, size);
        this.base = base;
        this.size = size;
        this.bytes = new byte[(int) size + TAIL];
    }

    /** Refuses a RAM size that is not a positive multiple of 4 KiB up to {@link #MAX_SIZE} (for OffHeapRam too). */
    static void checkSize(long size) {
        if (size <= 0 || size > MAX_SIZE || (size & 0xfff) != 0) {
            throw new IllegalArgumentException(String.format(
                    "RAM size must be a positive multiple of 4 KiB up to %d MiB: %d bytes", MAX_SIZE >> 20, size));
        }
    }

    @Override
    public byte[] array() {
        return bytes;
    }

    @Override
    public AddressRange range() {
        return range;
    }

    private int index(long address, int length) {
        return (int) checkedOffset(address, length, base, size, range);
    }

    /**
     * Returns the offset of an access in a RAM, refusing one that is not entirely inside it (for OffHeapRam too).
     *
     * @param address the access's first byte
     * @param length its bytes
     * @param base the RAM's first address
     * @param size the RAM's size
     * @param range the same, for the message
     * @return {@code address - base}
     * @throws MemoryAccessException when any byte lies outside
     */
    static long checkedOffset(long address, long length, long base, long size, AddressRange range) {
        long offset = address - base;
        if (length < 0 || length > size || Long.compareUnsigned(offset, size - length) > 0) {
            throw new MemoryAccessException(address, String.format("0x%x is outside guest RAM %s", address, range));
        }
        return offset;
    }

    @Override
    public int read8(long address) {
        return bytes[index(address, 1)] & 0xff;
    }

    @Override
    public int read16(long address) {
        return (short) SHORT.get(bytes, index(address, 2)) & 0xffff;
    }

    @Override
    public int read32(long address) {
        return (int) INT.get(bytes, index(address, 4));
    }

    @Override
    public long read64(long address) {
        return (long) LONG.get(bytes, index(address, 8));
    }

    @Override
    public void write8(long address, int value) {
        bytes[index(address, 1)] = (byte) value;
    }

    @Override
    public void write16(long address, int value) {
        SHORT.set(bytes, index(address, 2), (short) value);
    }

    @Override
    public void write32(long address, int value) {
        INT.set(bytes, index(address, 4), value);
    }

    @Override
    public void write64(long address, long value) {
        LONG.set(bytes, index(address, 8), value);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        System.arraycopy(bytes, index(address, length), destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        System.arraycopy(source, offset, bytes, index(address, length), length);
    }
}
