package io.vmmlab.runtime.memory;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.DmaWriteListener;
import io.vmmlab.api.memory.GuestMemory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guest RAM that devices see for DMA: the guest's memory, whose every write is reported, after it happened, to
 * the registered {@link DmaWriteListener}s (harts dropping decoded code, VMMs keeping shadows and translations
 * coherent). Accesses outside guest RAM fail as in the wrapped memory. The board's host view of guest RAM
 * ({@code Machine.memory()}) is a second instance, with listeners of its own (host writes, not DMA).
 */
public final class DmaTracingMemory implements GuestMemory {
    private final GuestMemory memory;
    private final List<DmaWriteListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Wraps the guest's memory.
     *
     * @param memory guest RAM only
     */
    public DmaTracingMemory(GuestMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory is null");
    }

    /**
     * Registers a listener.
     *
     * @param listener told about each later write
     */
    public void addListener(DmaWriteListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
    }

    private void written(long address, long length) {
        for (DmaWriteListener listener : listeners) {
            listener.dmaWritten(address, length);
        }
    }

    @Override
    public AddressRange range() {
        return memory.range();
    }

    @Override
    public int read8(long address) {
        return memory.read8(address);
    }

    @Override
    public int read16(long address) {
        return memory.read16(address);
    }

    @Override
    public int read32(long address) {
        return memory.read32(address);
    }

    @Override
    public long read64(long address) {
        return memory.read64(address);
    }

    @Override
    public void write8(long address, int value) {
        memory.write8(address, value);
        written(address, 1);
    }

    @Override
    public void write16(long address, int value) {
        memory.write16(address, value);
        written(address, 2);
    }

    @Override
    public void write32(long address, int value) {
        memory.write32(address, value);
        written(address, 4);
    }

    @Override
    public void write64(long address, long value) {
        memory.write64(address, value);
        written(address, 8);
    }

    @Override
    public void read(long address, byte[] destination, int offset, int length) {
        memory.read(address, destination, offset, length);
    }

    @Override
    public void write(long address, byte[] source, int offset, int length) {
        memory.write(address, source, offset, length);
        written(address, length);
    }
}
