package io.vmmlab.cli;

import io.vmmlab.runtime.discovery.Plugins;

import java.util.function.Supplier;

/**
 * The plugins, discovered (on the calling thread's context class loader) the first time a command needs them:
 * help, {@code --version}, {@code guests} and {@code serve} need none, so a broken plugin on the class path (a jar in
 * {@code VMM_CLASSPATH} naming a class it lacks) does not stop them; the commands that use plugins report it.
 */
final class PluginsOnDemand implements Supplier<Plugins> {
    private Plugins plugins;

    /**
     * Returns the plugins, discovering them on the first call.
     *
     * @return the plugins
     * @throws IllegalArgumentException when a plugin is broken (a provider that cannot be loaded or made, a name no
     *                                  command line can carry, two of one name): the user's class path is the
     *                                  mistake, as with any bad input
     */
    @Override
    public Plugins get() {
        if (plugins == null) {
            try {
                plugins = Plugins.discover();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return plugins;
    }
}
