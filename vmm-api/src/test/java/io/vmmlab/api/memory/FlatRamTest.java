package io.vmmlab.api.memory;

final class FlatRamTest extends GuestRamContract {
    @Override
    GuestMemory create(long base, long size) {
        return new FlatRam(base, size);
    }
}
