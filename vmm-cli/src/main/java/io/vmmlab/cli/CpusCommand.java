package io.vmmlab.cli;

import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.runtime.discovery.Plugins;

import java.io.PrintWriter;
import java.util.List;

/**
 * Lists the installed hart engines: one line each, name, tab, description.
 */
final class CpusCommand implements Command {
    private static final CommandSyntax SYNTAX = CommandSyntax.of("cpus",
            List.of("List installed CPU (hart) engines (name, tab, description)."), List.of());

    private final Plugins plugins;

    CpusCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        for (CpuProvider provider : plugins.cpus().all()) {
            out.println(provider.name() + "\t" + provider.description());
        }
        return ExitCodes.SUCCESS;
    }
}
