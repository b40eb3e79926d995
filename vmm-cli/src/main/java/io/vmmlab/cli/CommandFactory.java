package io.vmmlab.cli;

import io.vmmlab.cli.args.UsageException;
import io.vmmlab.runtime.discovery.Plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates the subcommands with the discovered plugins, so commands never look plugins up themselves. A run creates
 * only the command it names; help creates them all.
 */
final class CommandFactory {
    /** The subcommands, in the order help lists them. */
    static final List<String> NAMES = List.of("strategies", "cpus", "devices", "guests", "run", "compare", "help");

    private final Plugins plugins;

    CommandFactory(Plugins plugins) {
        this.plugins = plugins;
    }

    /**
     * Creates the command of a name.
     *
     * @param name the name, such as {@code run}
     * @return the command, or empty when there is none of that name
     */
    Optional<Command> create(String name) {
        return Optional.ofNullable(switch (name) {
            case "strategies" -> new StrategiesCommand(plugins);
            case "cpus" -> new CpusCommand(plugins);
            case "devices" -> new DevicesCommand(plugins);
            case "guests" -> new GuestsCommand();
            case "run" -> new RunCommand(plugins);
            case "compare" -> new CompareCommand(plugins);
            case "help" -> new HelpCommand(this);
            default -> null;
        });
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
