package io.vmmlab.cli;

import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Lists the installed hart engines: one line each, name, tab, description.
 */
@Command(name = "cpus", description = "List installed CPU (hart) engines (name, tab, description).")
final class CpusCommand implements Runnable {
    private final Plugins plugins;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    CpusCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public void run() {
        for (CpuProvider provider : plugins.cpus().all()) {
            spec.commandLine().getOut().println(provider.name() + "\t" + provider.description());
        }
    }
}
