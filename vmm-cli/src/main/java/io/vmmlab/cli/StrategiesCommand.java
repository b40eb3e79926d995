package io.vmmlab.cli;

import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Lists the installed virtualization strategies: one line each, name, tab, description.
 */
@Command(name = "strategies", description = "List installed virtualization strategies (name, tab, description).")
final class StrategiesCommand implements Runnable {
    private final Plugins plugins;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    StrategiesCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public void run() {
        for (VirtualizationStrategyProvider provider : plugins.strategies().all()) {
            spec.commandLine().getOut().println(provider.name() + "\t" + provider.description());
        }
    }
}
