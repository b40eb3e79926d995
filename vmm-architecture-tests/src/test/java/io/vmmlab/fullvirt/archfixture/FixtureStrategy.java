package io.vmmlab.fullvirt.archfixture;

/** Stands in for a strategy class that other fixtures wrongly reference. */
public final class FixtureStrategy {
    /** Creates the fixture. */
    public FixtureStrategy() {
    }
}
