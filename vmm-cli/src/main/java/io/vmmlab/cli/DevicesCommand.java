package io.vmmlab.cli;

import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Lists the installed device kinds: one line each, name, tab, description.
 */
@Command(name = "devices", description = "List installed device kinds (name, tab, description).")
final class DevicesCommand implements Runnable {
    private final Plugins plugins;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    DevicesCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public void run() {
        for (DeviceProvider provider : plugins.devices().all()) {
            spec.commandLine().getOut().println(provider.name() + "\t" + provider.description());
        }
    }
}
