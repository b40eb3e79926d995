package io.vmmlab.paravirt.archfixture;

import io.vmmlab.fullvirt.archfixture.FixtureStrategy;

/** A deliberate violation: one strategy using another's class. */
final class StrategyUsingAnother {
    Object other() {
        return new FixtureStrategy();
    }
}
