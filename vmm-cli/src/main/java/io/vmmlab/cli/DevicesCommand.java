package io.vmmlab.cli;

import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.runtime.discovery.Plugins;

import java.io.PrintWriter;
import java.util.List;

/**
 * Lists the installed device kinds: one line each, name, tab, description.
 */
final class DevicesCommand implements Command {
    private static final CommandSyntax SYNTAX = CommandSyntax.of("devices",
            List.of("List installed device kinds (name, tab, description)."), List.of());

    private final Plugins plugins;

    DevicesCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        for (DeviceProvider provider : plugins.devices().all()) {
            out.println(provider.name() + "\t" + provider.description());
        }
        return ExitCodes.SUCCESS;
    }
}
