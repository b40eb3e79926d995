package io.vmmlab.cli;

import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.runtime.discovery.Plugins;

import java.io.PrintWriter;
import java.util.List;

/**
 * Lists the installed virtualization strategies: one line each, name, tab, description.
 */
final class StrategiesCommand implements Command {
    private static final CommandSyntax SYNTAX = CommandSyntax.of("strategies",
            List.of("List installed virtualization strategies (name, tab, description)."), List.of());

    private final Plugins plugins;

    StrategiesCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        for (VirtualizationStrategyProvider provider : plugins.strategies().all()) {
            out.println(provider.name() + "\t" + provider.description());
        }
        return ExitCodes.SUCCESS;
    }
}
