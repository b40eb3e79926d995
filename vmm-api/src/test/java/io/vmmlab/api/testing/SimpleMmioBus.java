package io.vmmlab.api.testing;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A test fake: a linear list of device windows. */
public final class SimpleMmioBus implements MmioBus {
    private final List<Mapping> mappings = new ArrayList<>();

    @Override
    public void map(String name, AddressRange range, MmioDevice device) {
        for (Mapping mapping : mappings) {
            if (mapping.range().overlaps(range)) {
                throw new IllegalArgumentException(name + " overlaps " + mapping.name());
            }
        }
        mappings.add(new Mapping(name, range, device));
        mappings.sort(Comparator.comparingLong(mapping -> mapping.range().base()));
    }

    @Override
    public boolean isMapped(long address) {
        return find(address) != null;
    }

    private Mapping find(long address) {
        for (Mapping mapping : mappings) {
            if (mapping.range().contains(address, 1)) {
                return mapping;
            }
        }
        return null;
    }

    private Mapping require(long address) {
        Mapping mapping = find(address);
        if (mapping == null) {
            throw new MemoryAccessException(address, String.format("no device at 0x%x", address));
        }
        return mapping;
    }

    @Override
    public long read(long address, int size) {
        Mapping mapping = require(address);
        return mapping.device().read(address - mapping.range().base(), size);
    }

    @Override
    public void write(long address, int size, long value) {
        Mapping mapping = require(address);
        mapping.device().write(address - mapping.range().base(), size, value);
    }

    @Override
    public void hostWrite(long address, int size, long value) {
        Mapping mapping = require(address);
        mapping.device().hostWrite(address - mapping.range().base(), size, value);
    }

    @Override
    public List<Mapping> mappings() {
        return List.copyOf(mappings);
    }
}
