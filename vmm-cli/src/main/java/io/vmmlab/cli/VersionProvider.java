package io.vmmlab.cli;

import picocli.CommandLine;

/**
 * Reports the version from the jar manifest, with the Java runtime it runs on.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Vmm.class.getPackage().getImplementationVersion();
        return new String[] {
            "vmm " + (version == null ? "development build" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
