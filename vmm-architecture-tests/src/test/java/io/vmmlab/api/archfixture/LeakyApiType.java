package io.vmmlab.api.archfixture;

import io.vmmlab.runtime.memory.RangeMmioBus;

/** A deliberate violation: an API type that uses a runtime class. Only the architecture tests see it. */
final class LeakyApiType {
    RangeMmioBus bus() {
        return new RangeMmioBus();
    }
}
