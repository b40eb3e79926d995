package io.vmmlab.api.memory;

/**
 * The guest's part of the board's RAM: every access is checked against the guest's range before it reaches the
 * whole RAM, so DMA, loaders and firmware calls acting for the guest can never touch the VMM's reserved region.
 */
public final class GuestMemoryView implements GuestMemory {
    private final GuestMemory ram;
    private final AddressRange range;

    /**
     * Restricts RAM to a range.
     *
     * @param ram the whole RAM
     * @param range the part the guest owns; must lie inside {@code ram}
     */
    public GuestMemoryView(GuestMemory ram, AddressRange range) {
        if (!ram.range().contains(range.base(), range.size())) {
            throw new IllegalArgumentException(range + " is not inside RAM " + ram.range());
        }
        this.ram = ram;
        this.range = range;
    }

    @Override
    public AddressRange range() {
        return range;
    }

    private long check(long address, long length) {
        if (length < 0 || !range.contains(address, Math.max(length, 1))) {
            throw new MemoryAccessException(address, String.format("0x%x is outside guest RAM %s", address, range));
        }
        return address;
    }

    @Override
    public int read8(long address) {
        return ram.read8(check(address, 1));
    }

    @Override
    public int read16(long address) {
        return ram.read16(check(address, 2));
    }

    @Override
    public int read32(long address) {
        return ram.read32(check(address, 4));
    }

    @Override
    public long read64(long address) {
        return ram.read64(check(address, 8));
    }

    @Override
    public void write8(long address, int value) {
        ram.write8(check(address, 1), value);
    }

    @Override
    public void write16(long address, int value) {
        ram.write16(check(address, 2), value);
    }

    @Override
    public void write32(long address, int value) {
        ram.write32(check(address, 4), value);
    }

    @Override
    public void write64(long address, long value) {
        ram.write64(check(address, 8), value);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        ram.read(check(address, length), destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        ram.write(check(address, length), source, offset, length);
    }
}
