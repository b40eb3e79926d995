package io.vmmlab.api.testing;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;

/** A test fake: the guest's part of a larger RAM, as the runtime's {@code Machine.memory()} presents it. */
public final class RestrictedMemory implements GuestMemory {
    private final GuestMemory whole;
    private final AddressRange range;

    public RestrictedMemory(GuestMemory whole, AddressRange range) {
        this.whole = whole;
        this.range = range;
    }

    private long check(long address, int length) {
        if (!range.contains(address, length)) {
            throw new MemoryAccessException(address, "outside the guest's RAM");
        }
        return address;
    }

    @Override
    public AddressRange range() {
        return range;
    }

    @Override
    public int read8(long address) {
        return whole.read8(check(address, 1));
    }

    @Override
    public int read16(long address) {
        return whole.read16(check(address, 2));
    }

    @Override
    public int read32(long address) {
        return whole.read32(check(address, 4));
    }

    @Override
    public long read64(long address) {
        return whole.read64(check(address, 8));
    }

    @Override
    public void write8(long address, int value) {
        whole.write8(check(address, 1), value);
    }

    @Override
    public void write16(long address, int value) {
        whole.write16(check(address, 2), value);
    }

    @Override
    public void write32(long address, int value) {
        whole.write32(check(address, 4), value);
    }

    @Override
    public void write64(long address, long value) {
        whole.write64(check(address, 8), value);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        whole.read(check(address, length), destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        whole.write(check(address, length), source, offset, length);
    }
}
