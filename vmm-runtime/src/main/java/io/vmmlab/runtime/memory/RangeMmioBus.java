package io.vmmlab.runtime.memory;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.runtime.discovery.PluginFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The board's device windows, kept sorted by base address and found by binary search. Overlapping windows are
 * refused when mapped. Mapping happens while the board is built; lookups happen on every MMIO access.
 */
public final class RangeMmioBus implements MmioBus {
    /**
     * The windows in address order, replaced whole by each {@link #map}, so that a lookup reads one consistent set
     * (the bases, ends and devices arrays index the same windows as the immutable list).
     */
    private record Windows(long[] bases, long[] ends, MmioDevice[] devices, List<Mapping> mappings) {
    }

    private volatile Windows windows = new Windows(new long[0], new long[0], new MmioDevice[0], List.of());

    @Override
    public synchronized void map(String name, AddressRange range, MmioDevice device) {
        List<Mapping> current = windows.mappings();
        for (Mapping mapping : current) {
            if (mapping.range().overlaps(range)) {
                throw new IllegalArgumentException(String.format("%s at %s overlaps %s at %s",
                        name, range, mapping.name(), mapping.range()));
            }
        }
        List<Mapping> sorted = new ArrayList<>(current);
        sorted.add(new Mapping(name, range, device));
        // Not Comparator.comparingLong: its serializable lambda cannot come from the JDK's start-up cache, so it was
        // generated at every run's first mapping (about 3 ms of start-up with the method handle forms it needs).
        sorted.sort((first, second) -> Long.compare(first.range().base(), second.range().base()));
        long[] bases = new long[sorted.size()];
        long[] ends = new long[sorted.size()];
        MmioDevice[] devices = new MmioDevice[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            bases[i] = sorted.get(i).range().base();
            ends[i] = sorted.get(i).range().end();
            devices[i] = sorted.get(i).device();
        }
        windows = new Windows(bases, ends, devices, List.copyOf(sorted));
    }

    private static int find(Windows windows, long address) {
        long[] bases = windows.bases();
        int low = 0;
        int high = bases.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(bases[middle], address) <= 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        int candidate = high;
        if (candidate >= 0 && Long.compareUnsigned(address, windows.ends()[candidate]) < 0) {
            return candidate;
        }
        return -1;
    }

    @Override
    public boolean isMapped(long address) {
        return find(windows, address) >= 0;
    }

    @Override
    public Optional<Mapping> mappingAt(long address) {
        Windows current = windows;
        int index = find(current, address);
        return index >= 0 ? Optional.of(current.mappings().get(index)) : Optional.empty();
    }

    @Override
    public long read(long address, int size) {
        Windows current = windows;
        int index = require(current, address, size);
        try {
            return current.devices()[index].read(address - current.bases()[index], size);
        } catch (MemoryAccessException e) { // the device's answer: no register there (an access fault)
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw failure(current, index, "read", address, e);
        }
    }

    @Override
    public void write(long address, int size, long value) {
        write(address, size, value, false);
    }

    @Override
    public void hostWrite(long address, int size, long value) {
        write(address, size, value, true);
    }

    /** A guest's write, or the VMM's own ({@link MmioDevice#hostWrite}). */
    private void write(long address, int size, long value, boolean host) {
        Windows current = windows;
        int index = require(current, address, size);
        MmioDevice device = current.devices()[index];
        long offset = address - current.bases()[index];
        try {
            if (host) {
                device.hostWrite(offset, size, value);
            } else {
                device.write(offset, size, value);
            }
        } catch (MemoryAccessException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw failure(current, index, "write", address, e);
        }
    }

    /** A device's own failure on an access, named (a plugin's bug is the device's, not the strategy's). */
    private static RuntimeException failure(Windows windows, int index, String access, long address, Throwable e) {
        if (e instanceof PluginFailure) {
            return (RuntimeException) e;
        }
        return PluginFailure.of(PluginFailure.label(windows.mappings().get(index).name(),
                windows.devices()[index].getClass()), String.format("failed on a %s at 0x%x", access, address), e);
    }

    private static int require(Windows windows, long address, int size) {
        int index = find(windows, address);
        if (index < 0 || Long.compareUnsigned(address + size, windows.ends()[index]) > 0) {
            throw new MemoryAccessException(address, String.format("no device at 0x%x", address));
        }
        return index;
    }

    @Override
    public List<Mapping> mappings() {
        return windows.mappings();
    }
}
