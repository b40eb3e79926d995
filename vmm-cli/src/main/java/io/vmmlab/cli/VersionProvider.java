package io.vmmlab.cli;

import java.util.List;

/**
 * Reports the version from the jar manifest, with the Java runtime it runs on.
 */
final class VersionProvider {
    private VersionProvider() {
    }

    /**
     * Returns what {@code vmm --version} prints, one element per line.
     *
     * @return the lines
     */
    static List<String> version() {
        String version = Vmm.class.getPackage().getImplementationVersion();
        return List.of(
            "vmm " + (version == null ? "development build" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    }
}
