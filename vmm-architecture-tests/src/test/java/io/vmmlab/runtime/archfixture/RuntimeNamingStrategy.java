package io.vmmlab.runtime.archfixture;

import io.vmmlab.fullvirt.archfixture.FixtureStrategy;

/** A deliberate violation: the runtime naming a strategy class at compile time. */
final class RuntimeNamingStrategy {
    Object strategy() {
        return new FixtureStrategy();
    }
}
