package io.vmmlab.cli;

import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;

/**
 * Creates the subcommands with the discovered plugins, so commands never look plugins up themselves.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final Plugins plugins;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == StrategiesCommand.class) {
            return type.cast(new StrategiesCommand(plugins));
        }
        if (type == CpusCommand.class) {
            return type.cast(new CpusCommand(plugins));
        }
        if (type == DevicesCommand.class) {
            return type.cast(new DevicesCommand(plugins));
        }
        if (type == RunCommand.class) {
            return type.cast(new RunCommand(plugins));
        }
        if (type == CompareCommand.class) {
            return type.cast(new CompareCommand(plugins));
        }
        return fallback.create(type);
    }
}
