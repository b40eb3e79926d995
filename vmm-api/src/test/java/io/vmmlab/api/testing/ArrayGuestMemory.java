package io.vmmlab.api.testing;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.ArrayBackedMemory;
import io.vmmlab.api.memory.MemoryAccessException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A test fake: guest RAM in one byte array (with an 8-byte tail, as FlatRam has), bounds-checked, little-endian. */
public final class ArrayGuestMemory implements ArrayBackedMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final AddressRange range;
    private final byte[] bytes;

    public ArrayGuestMemory(long base, int size) {
        this.range = new AddressRange(base, size);
        this.bytes = new byte[size + 8];
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
        if (!range.contains(address, length)) {
            throw new MemoryAccessException(address, String.format("0x%x is outside RAM %s", address, range));
        }
        return (int) (address - range.base());
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
