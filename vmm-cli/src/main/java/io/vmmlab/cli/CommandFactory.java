package io.vmmlab.cli;

import io.vmmlab.cli.args.UsageException;
import io.vmmlab.runtime.discovery.Plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Creates the subcommands with the discovered plugins, so commands never look plugins up themselves. A run creates
 * only the command it names; help creates them all.
 */
final class CommandFactory {
    /** The subcommands, in the order help lists them: each name once, with how to create its command. */
    private static final List<Entry> COMMANDS = List.of(
            new Entry("strategies", factory -> PluginListCommand.strategies(factory.plugins)),
            new Entry("cpus", factory -> PluginListCommand.cpus(factory.plugins)),
            new Entry("devices", factory -> PluginListCommand.devices(factory.plugins)),
            new Entry("guests", factory -> new GuestsCommand()),
            new Entry("run", factory -> new RunCommand(factory.plugins, factory.invocation)),
            new Entry("compare", factory -> new CompareCommand(factory.plugins, factory.invocation)),
            new Entry("serve", factory -> new ServeCommand()),
            new Entry("help", HelpCommand::new));

    /** The subcommands' names, in the order help lists them. */
    static final List<String> NAMES = COMMANDS.stream().map(Entry::name).toList();

    private final Supplier<Plugins> plugins;
    private final Invocation invocation;

    /** A subcommand's name and how to create it. */
    private record Entry(String name, Function<CommandFactory, Command> constructor) {
    }

    CommandFactory(Supplier<Plugins> plugins, Invocation invocation) {
        this.plugins = plugins;
        this.invocation = invocation;
    }

    /**
     * Creates the command of a name.
     *
     * @param name the name, such as {@code run}
     * @return the command, or empty when there is none of that name
     */
    Optional<Command> create(String name) {
        for (Entry entry : COMMANDS) {
            if (entry.name().equals(name)) {
                return Optional.of(entry.constructor().apply(this));
            }
        }
        return Optional.empty();
    }

    /**
     * Creates the command of a name, or fails with a usage error that lists the commands.
     *
     * @param name the name, such as {@code run}
     * @return the command
     * @throws UsageException when there is no command of that name
     */
    Command require(String name) {
        return create(name).orElseThrow(() -> new UsageException("unknown command '" + name + "'; available: "
                + String.join(", ", NAMES)));
    }

    /**
     * Creates every command, in the order help lists them.
     *
     * @return the commands
     */
    List<Command> all() {
        List<Command> commands = new ArrayList<>();
        for (String name : NAMES) {
            commands.add(create(name).orElseThrow());
        }
        return commands;
    }
}
