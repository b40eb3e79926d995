package io.vmmlab.runtime.memory;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The board's device windows, kept sorted by base address and found by binary search. Overlapping windows are
 * refused when mapped. Mapping happens while the board is built; lookups happen on every MMIO access.
 */
public final class RangeMmioBus implements MmioBus {
    /** The mappings in address order: an immutable list, replaced by each {@link #map} (readers get the same one). */
    private volatile List<Mapping> mappings = List.of();
    private long[] bases = new long[0];
    private long[] ends = new long[0];
    private MmioDevice[] devices = new MmioDevice[0];

    @Override
    public synchronized void map(String name, AddressRange range, MmioDevice device) {
        for (Mapping mapping : mappings) {
            if (mapping.range().overlaps(range)) {
                throw new IllegalArgumentException(String.format("%s at %s overlaps %s at %s",
                        name, range, mapping.name(), mapping.range()));
            }
        }
        List<Mapping> sorted = new ArrayList<>(mappings);
        sorted.add(new Mapping(name, range, device));
        sorted.sort(Comparator.comparingLong(mapping -> mapping.range().base()));
        long[] newBases = new long[sorted.size()];
        long[] newEnds = new long[sorted.size()];
        MmioDevice[] newDevices = new MmioDevice[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            newBases[i] = sorted.get(i).range().base();
            newEnds[i] = sorted.get(i).range().end();
            newDevices[i] = sorted.get(i).device();
        }
        bases = newBases;
        ends = newEnds;
        devices = newDevices;
        mappings = List.copyOf(sorted);
    }

    private int find(long address) {
        long[] currentBases = bases;
        int low = 0;
        int high = currentBases.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(currentBases[middle], address) <= 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        int candidate = high;
        if (candidate >= 0 && Long.compareUnsigned(address, ends[candidate]) < 0) {
            return candidate;
        }
        return -1;
    }

    @Override
    public boolean isMapped(long address) {
        return find(address) >= 0;
    }

    @Override
    public Optional<Mapping> mappingAt(long address) {
        List<Mapping> current = mappings;
        int index = find(address);
        // The arrays and the list are replaced one after the other by map(), which happens while the board is built.
        return index >= 0 && index < current.size() ? Optional.of(current.get(index)) : Optional.empty();
    }

    @Override
    public long read(long address, int size) {
        int index = require(address, size);
        return devices[index].read(address - bases[index], size);
    }

    @Override
    public void write(long address, int size, long value) {
        int index = require(address, size);
        devices[index].write(address - bases[index], size, value);
    }

    private int require(long address, int size) {
        int index = find(address);
        if (index < 0 || Long.compareUnsigned(address + size, ends[index]) > 0) {
            throw new MemoryAccessException(address, String.format("no device at 0x%x", address));
        }
        return index;
    }

    @Override
    public List<Mapping> mappings() {
        return mappings;
    }
}
