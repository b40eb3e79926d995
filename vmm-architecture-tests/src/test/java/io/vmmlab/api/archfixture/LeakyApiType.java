package io.vmmlab.api.archfixture;

import io.vmmlab.runtime.memory.FlatRam;

/** A deliberate violation: an API type that uses a runtime class. Only the architecture tests see it. */
final class LeakyApiType {
    FlatRam ram() {
        return new FlatRam(0x8000_0000L, 4096);
    }
}
