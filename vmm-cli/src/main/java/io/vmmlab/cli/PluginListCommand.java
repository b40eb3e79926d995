package io.vmmlab.cli;

import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.runtime.discovery.Plugins;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Lists one kind of installed plugin ({@code vmm strategies}, {@code vmm cpus}, {@code vmm devices}): one line each,
 * name, tab, description, for scripts as much as for people.
 */
final class PluginListCommand implements Command {
    private final CommandSyntax syntax;
    private final Supplier<List<String>> lines;

    private PluginListCommand(String name, String description, Supplier<List<String>> lines) {
        this.syntax = CommandSyntax.of(name, List.of(description), List.of());
        this.lines = lines;
    }

    /** {@code vmm strategies}. */
    static PluginListCommand strategies(Supplier<Plugins> plugins) {
        return new PluginListCommand("strategies", "List installed virtualization strategies (name, tab, description).",
                () -> lines(plugins.get().strategies().all(), VirtualizationStrategyProvider::name,
                        VirtualizationStrategyProvider::description));
    }

    /** {@code vmm cpus}. */
    static PluginListCommand cpus(Supplier<Plugins> plugins) {
        return new PluginListCommand("cpus", "List installed CPU (hart) engines (name, tab, description).",
                () -> lines(plugins.get().cpus().all(), CpuProvider::name, CpuProvider::description));
    }

    /** {@code vmm devices}. */
    static PluginListCommand devices(Supplier<Plugins> plugins) {
        return new PluginListCommand("devices", "List installed device kinds (name, tab, description).",
                () -> lines(plugins.get().devices().all(), DeviceProvider::name, DeviceProvider::description));
    }

    private static <P> List<String> lines(Iterable<P> providers, Function<P, String> name,
                                          Function<P, String> description) {
        List<String> lines = new ArrayList<>();
        for (P provider : providers) {
            // A plugin's description with a newline or tab would break the one-line, tab-separated listing.
            lines.add(name.apply(provider) + "\t" + ErrorHandler.oneLine(String.valueOf(description.apply(provider))));
        }
        return lines;
    }

    @Override
    public CommandSyntax syntax() {
        return syntax;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        lines.get().forEach(out::println);
        return ExitCodes.SUCCESS;
    }
}
